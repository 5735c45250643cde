"""Creates and edits hold when a form is sent twice or stale, and a duplicate credit code
tells nothing about who holds it."""

import threading

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from catalogue.models import KPIDefinition
from enterprises import services
from enterprises.models import Enrolment, Enterprise, KPIReading
from score_portal.models import FormSubmission, Role
from tests.factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    WorkshopFactory,
    user_with_role,
    valid_uscc,
)
from workshops.models import Participant, Workshop

TAKEN = "This credit code is already registered in the programme; ask the programme office."

# Threads need real row locks and their own connections: PostgreSQL. Skipped before the
# database is set up (a transactional test on SQLite would flush it for nothing).
needs_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (DATABASE_URL): SQLite serialises every write",
)


def _token(client, url) -> str:
    page = client.get(url)
    form = page.context["form"]
    assert 'name="form_token"' in page.content.decode()
    return form["form_token"].initial


def _enterprise_post(cast, **extra):
    return {
        "partner": cast.zj.pk,
        "name": "Jiaxing Furniture",
        "status": "prospect",
        "employees_total": 150,
        "employees_women": 60,
        **extra,
    }


@pytest.mark.django_db
def test_it_creates_one_enterprise_when_the_form_is_sent_twice(client, cast):
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:create")
    data = _enterprise_post(cast, form_token=_token(client, url))
    first = client.post(url, data)
    second = client.post(url, data)
    enterprise = Enterprise.objects.get()
    detail = reverse("enterprises:detail", args=[enterprise.pk])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail
    # A new page load gives a new token: a second enterprise is a deliberate one.
    client.post(url, _enterprise_post(cast, name="Other Co.", form_token=_token(client, url)))
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_submission_does_not_spend_its_token(client, cast):
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:create")
    token = _token(client, url)
    refused = client.post(url, _enterprise_post(cast, employees_women=500, form_token=token))
    assert refused.status_code == 400 and not FormSubmission.objects.exists()
    assert client.post(url, _enterprise_post(cast, form_token=token)).status_code == 302
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_another_users_token_gives_nothing_away(client, cast):
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:create")
    token = _token(client, url)
    client.post(url, _enterprise_post(cast, form_token=token))
    client.force_login(user_with_role("zj-staff-2", Role.PARTNER_STAFF, cast.zj))
    response = client.post(url, _enterprise_post(cast, name="Again", form_token=token))
    assert response.status_code == 400
    assert "already sent" in response.content.decode()
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, kwargs, data, model",
    [
        (
            "workshops:create",
            lambda w: {},
            lambda w: {
                "partner": w["cast"].zj.pk,
                "module": w["module"].pk,
                "title": "M1 Hangzhou",
                "start_date": "2026-06-10",
                "end_date": "2026-06-11",
                "city": "Hangzhou",
                "capacity": 20,
                "status": "open",
            },
            Workshop,
        ),
        (
            "enterprises:enrolments:create",
            lambda w: {"enterprise_pk": w["enterprise"].pk},
            lambda w: {
                "module": w["module2"].pk,
                "status": "applied",
                "applied_on": "2026-03-01",
                "currency": "CNY",
                "paid_enterprise": 0,
                "paid_sponsor": 0,
                "paid_government": 0,
                "paid_ilo": 0,
            },
            Enrolment,
        ),
        (
            "enterprises:kpi:record",
            lambda w: {"pk": w["enterprise"].pk},
            lambda w: {
                "kpi": KPIDefinition.objects.get(code="defect_rate").pk,
                "kind": "baseline",
                "source": "visit",
                "period_start": "2026-01-01",
                "period_end": "2026-03-31",
                "value": "4.5",
            },
            KPIReading,
        ),
    ],
)
def test_every_create_form_saves_once_when_sent_twice(client, cast, name, kwargs, data, model):
    from catalogue.models import Module

    world = {
        "cast": cast,
        "module": Module.objects.get(code="M1"),
        "module2": Module.objects.get(code="M2"),
        "enterprise": EnterpriseFactory(partner=cast.zj),
    }
    EnrolmentFactory(enterprise=world["enterprise"])
    before = model.objects.count()
    client.force_login(cast.zj_staff)
    url = reverse(name, kwargs=kwargs(world))
    payload = {**data(world), "form_token": _token(client, url)}
    first, second = client.post(url, payload), client.post(url, payload)
    assert first.status_code == 302, first.context["form"].errors
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert model.objects.count() == before + 1


@pytest.mark.django_db
def test_a_delegation_sent_twice_adds_its_people_once(client, cast):
    workshop = WorkshopFactory(partner=cast.zj)
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    workshop.invitations.add(enrolment)
    client.force_login(cast.zj_staff)
    url = reverse("workshops:delegation-add", args=[workshop.pk, enrolment.pk])
    form = client.get(url).context["form"]
    payload = {
        "form_token": form["form_token"].initial,
        "name_0": "Li Na",
        "sex_0": "F",
        "level_0": "worker",
    }
    first, second = client.post(url, payload), client.post(url, payload)
    assert first.status_code == 302, first.context["form"].errors
    assert second.status_code == 302
    assert Participant.objects.filter(workshop=workshop).count() == 1


@pytest.mark.services
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_creates_one_enterprise_under_simultaneous_double_submits(client, cast):
    from django.test import Client

    client.force_login(cast.zj_staff)
    url = reverse("enterprises:create")
    data = _enterprise_post(cast, form_token=_token(client, url))
    start = threading.Barrier(4)
    statuses = []

    def send():
        own = Client()
        own.force_login(cast.zj_staff)
        try:
            start.wait()
            statuses.append(own.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 4
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_an_edit_without_the_version_is_refused(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj, city="Huzhou")
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:edit", args=[enterprise.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(name=enterprise.name, status=enterprise.status)
    services.enterprise_update(
        acting_user=cast.zj_staff, enterprise=enterprise, version=enterprise.version, city="Ningbo"
    )
    data.pop("version")
    response = client.post(url, {**data, "city": "Wenzhou"})
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.city == "Ningbo"


@pytest.mark.django_db
@pytest.mark.parametrize("editing", [False, True])
def test_a_duplicate_credit_code_names_neither_constraint_nor_partner(client, cast, editing):
    code = valid_uscc()
    EnterpriseFactory(partner=cast.sc, credit_code=code, name="Chengdu Secret Foods")
    client.force_login(cast.zj_staff)
    if editing:
        mine = EnterpriseFactory(partner=cast.zj)
        url = reverse("enterprises:edit", args=[mine.pk])
        data = {
            **{k: v for k, v in client.get(url).context["form"].initial.items() if v is not None},
            "name": mine.name,
            "status": mine.status,
        }
    else:
        url = reverse("enterprises:create")
        data = _enterprise_post(cast)
    response = client.post(url, {**data, "credit_code": code})
    assert response.status_code == 400
    assert response.context["form"].errors["credit_code"] == [TAKEN]
    page = response.content.decode()
    for leak in (
        "enterprise_credit_code_unique",
        "Constraint",
        "Chengdu Secret",
        "Sichuan Enterprise Federation",
    ):
        assert leak not in page, leak


@pytest.mark.django_db
def test_a_credit_code_taken_between_check_and_save_gets_the_same_message(cast, monkeypatch):
    from django.core.exceptions import ValidationError

    code = valid_uscc()
    EnterpriseFactory(partner=cast.sc, credit_code=code)
    # The other save commits after this one's full_clean looked: only the database knows.
    monkeypatch.setattr(Enterprise, "clean", lambda self: None)
    monkeypatch.setattr(Enterprise, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as caught:
        services.enterprise_create(
            acting_user=cast.zj_staff,
            partner=cast.zj,
            name="X",
            status="prospect",
            credit_code=code,
        )
    assert caught.value.message_dict == {"credit_code": [TAKEN]}
