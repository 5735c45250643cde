"""The enterprise contact role (issue 16): the membership, the access rules, the
submissions, the invitation and the portal."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalogue.models import KPIDefinition
from enterprises.models import Enterprise, ImprovementProject, KPIReading, SuggestionCount
from enterprises.services.review import kpi_readings_verify
from enterprises.services.submissions import (
    enterprise_kpi_reading_submit,
    enterprise_project_submit,
    enterprise_suggestions_submit,
)
from score_portal.access import Perm, access_for, can, scope
from score_portal.memberships import membership_change_role, membership_grant
from score_portal.models import Membership, Role
from tests.factories import EnrolmentFactory, EnterpriseFactory, UserFactory, WorkshopFactory
from tests.url_world import contact_of
from trainers.models import ActionProgress, ConsultingVisit
from trainers.services.visits import action_progress_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    mine = EnterpriseFactory(partner=cast.zj, name="Mine Co.")
    neighbour = EnterpriseFactory(partner=cast.zj, name="Neighbour Co.")  # same partner
    far = EnterpriseFactory(partner=cast.sc, name="Far Co.")
    contact = contact_of(mine)
    return {"mine": mine, "neighbour": neighbour, "far": far, "contact": contact, "cast": cast}


def _visit(enterprise, trainer_partner, number=1):
    from tests.factories import TrainerFactory

    enrolment = EnrolmentFactory(enterprise=enterprise)
    trainer = TrainerFactory(partners=[trainer_partner])
    return ConsultingVisit.objects.create(
        enrolment=enrolment, trainer=trainer, number=number, planned_date="2026-07-01"
    )


# --- the membership ------------------------------------------------------------------------


def test_a_contact_membership_needs_an_enterprise(cast):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, partner=cast.zj, role=Role.ENTERPRISE_CONTACT)


def test_other_roles_have_no_enterprise(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=UserFactory(), partner=cast.zj, role=Role.PARTNER_STAFF, enterprise=enterprise
        )


def test_the_contact_partner_is_the_enterprises_partner(cast):
    enterprise = EnterpriseFactory(partner=cast.sc)
    membership = Membership(
        user=UserFactory(), partner=cast.zj, role=Role.ENTERPRISE_CONTACT, enterprise=enterprise
    )
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_staff_grant_a_contact_of_their_partners_enterprise_only(cast):
    mine = EnterpriseFactory(partner=cast.zj)
    theirs = EnterpriseFactory(partner=cast.sc)
    membership = membership_grant(
        acting_user=cast.zj_staff,
        user=UserFactory(),
        partner=None,
        role=Role.ENTERPRISE_CONTACT,
        enterprise=mine,
    )
    assert membership.partner == cast.zj and membership.enterprise == mine
    assert membership.history.first().history_user == cast.zj_staff
    with pytest.raises(PermissionDenied):
        membership_grant(
            acting_user=cast.zj_staff,
            user=UserFactory(),
            partner=None,
            role=Role.ENTERPRISE_CONTACT,
            enterprise=theirs,
        )
    with pytest.raises(PermissionDenied):
        membership_grant(
            acting_user=cast.zj_trainer,
            user=UserFactory(),
            partner=None,
            role=Role.ENTERPRISE_CONTACT,
            enterprise=mine,
        )


def test_a_contacts_role_is_never_changed_into_another(world):
    membership = world["contact"].memberships.get()
    with pytest.raises(PermissionDenied):
        membership_change_role(
            acting_user=world["cast"].zj_manager, membership=membership, role=Role.PARTNER_STAFF
        )


# --- access --------------------------------------------------------------------------------


def test_a_contact_sees_only_their_enterprise(world):
    contact = world["contact"]
    assert list(scope(contact, Enterprise.objects.all(), Perm.ENTERPRISE)) == [world["mine"]]
    # the partner's perms give nothing: every existing selector shows a contact nothing
    for perm in (Perm.VIEW, Perm.CHANGE, Perm.RECORD, Perm.VERIFY, Perm.REPORTS):
        assert not scope(contact, Enterprise.objects.all(), perm).exists()
        assert not access_for(contact).has_perm(perm, world["cast"].zj.pk)


def test_models_without_an_enterprise_path_show_a_contact_nothing(world):
    from score_portal.models import Partner
    from trainers.models import Trainer

    assert not scope(world["contact"], Partner.objects.all(), Perm.ENTERPRISE).exists()
    assert not scope(world["contact"], Trainer.objects.all(), Perm.ENTERPRISE).exists()


def test_a_contact_sees_the_workshops_and_visits_of_their_enterprise_only(world):
    mine_visit = _visit(world["mine"], world["cast"].zj)
    _visit(world["neighbour"], world["cast"].zj)
    workshop = WorkshopFactory(partner=world["cast"].zj)
    workshop.invitations.add(mine_visit.enrolment)
    WorkshopFactory(partner=world["cast"].zj)  # not invited
    contact = world["contact"]
    assert list(scope(contact, ConsultingVisit.objects.all(), Perm.ENTERPRISE)) == [mine_visit]
    from workshops.models import Workshop

    assert list(scope(contact, Workshop.objects.all(), Perm.ENTERPRISE)) == [workshop]


def test_a_contact_can_never_verify(world):
    reading = enterprise_kpi_reading_submit(
        acting_user=world["contact"],
        enterprise=world["mine"],
        kpi=KPIDefinition.objects.get(code="defect_rate"),
        kind="follow_up",
        period_start="2026-04-01",
        period_end="2026-06-30",
        value=3,
    )
    with pytest.raises(PermissionDenied):
        kpi_readings_verify(
            acting_user=world["contact"], readings=KPIReading.objects.filter(pk=reading.pk)
        )
    assert not can(world["contact"], Perm.VERIFY, reading)
    reading.refresh_from_db()
    assert reading.verified_at is None


# --- submissions ---------------------------------------------------------------------------


def test_submissions_are_marked_as_the_enterprises_and_unverified(world):
    contact, mine = world["contact"], world["mine"]
    month = enterprise_suggestions_submit(
        acting_user=contact,
        enterprise=mine,
        month=__import__("datetime").date(2026, 6, 15),
        made=12,
        implemented=5,
    )
    assert month.source == "enterprise" and month.month.day == 1
    project = enterprise_project_submit(
        acting_user=contact, enterprise=mine, title="Tool boards", status="planned"
    )
    assert project.source == "enterprise"
    reading = enterprise_kpi_reading_submit(
        acting_user=contact,
        enterprise=mine,
        kpi=KPIDefinition.objects.get(code="defect_rate"),
        kind="follow_up",
        period_start="2026-04-01",
        period_end="2026-06-30",
        value=3,
    )
    assert reading.source == KPIReading.Source.ENTERPRISE
    assert reading.verified_at is None and reading.recorded_by == contact
    assert reading.history.first().history_user == contact


def test_a_contact_cannot_submit_for_another_enterprise(world):
    import datetime

    for enterprise in (world["neighbour"], world["far"]):
        with pytest.raises(PermissionDenied):
            enterprise_suggestions_submit(
                acting_user=world["contact"],
                enterprise=enterprise,
                month=datetime.date(2026, 6, 1),
                made=1,
                implemented=0,
            )
    assert not SuggestionCount.objects.exists()


def test_a_month_the_programme_recorded_is_not_overwritten(world):
    import datetime

    from enterprises.services import suggestions_record

    suggestions_record(
        acting_user=world["cast"].zj_staff,
        enterprise=world["mine"],
        month=datetime.date(2026, 6, 1),
        made=9,
        implemented=9,
    )
    with pytest.raises(ValidationError):
        enterprise_suggestions_submit(
            acting_user=world["contact"],
            enterprise=world["mine"],
            month=datetime.date(2026, 6, 1),
            made=1,
            implemented=0,
        )
    assert SuggestionCount.objects.get().made == 9


def test_staff_cannot_pretend_to_be_the_enterprise(world):
    from enterprises.services.kpi import kpi_reading_record

    with pytest.raises(ValidationError):
        kpi_reading_record(
            acting_user=world["cast"].zj_staff,
            enterprise=world["mine"],
            kpi=KPIDefinition.objects.get(code="defect_rate"),
            kind="follow_up",
            period_start="2026-04-01",
            period_end="2026-06-30",
            value=3,
            source="enterprise",
        )


def test_a_contact_cannot_edit_a_project_the_programme_recorded(world):
    project = ImprovementProject.objects.create(enterprise=world["mine"], title="Staff's")
    with pytest.raises(PermissionDenied):
        enterprise_project_submit(
            acting_user=world["contact"], enterprise=world["mine"], project=project, title="Mine"
        )


def test_progress_on_an_action_is_shown_to_staff_on_the_visit(world, client):
    visit = _visit(world["mine"], world["cast"].zj)
    action = visit.actions.create(description="Paint the walkways")
    report = action_progress_report(
        acting_user=world["contact"], action=action, note="Hall 2 done", proposed_status="done"
    )
    assert report.submitted_by == world["contact"]
    action.refresh_from_db()
    assert action.status == "open"  # only a visit (or staff) changes it
    client.force_login(world["cast"].zj_staff)
    page = client.get(reverse("trainers:visits:detail", args=[visit.pk])).content.decode()
    assert "Hall 2 done" in page and "Submitted by the enterprise" in page
    other = _visit(world["neighbour"], world["cast"].zj).actions.create(description="x")
    with pytest.raises(PermissionDenied):
        action_progress_report(
            acting_user=world["contact"], action=other, note="x", proposed_status="done"
        )
    assert ActionProgress.objects.count() == 1


# --- pages ---------------------------------------------------------------------------------


def test_a_contacts_home_is_their_portal(world, client):
    client.force_login(world["contact"])
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("contacts:home")
    page = client.get(reverse("contacts:home")).content.decode()
    assert "Mine Co." in page and "Neighbour Co." not in page


def test_a_contact_gets_404_for_staff_pages_of_their_own_enterprise_too(world, client):
    client.force_login(world["contact"])
    for url in (
        reverse("enterprises:detail", args=[world["mine"].pk]),
        reverse("enterprises:detail", args=[world["neighbour"].pk]),
        reverse("enterprises:list"),
        reverse("workshops:list"),
        reverse("reports:run-list"),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_the_portal_answers_in_chinese(world, client):
    client.force_login(world["contact"])
    for name in (
        "contacts:home",
        "contacts:actions",
        "contacts:kpis",
        "contacts:projects",
        "contacts:certificates",
        "contacts:reports",
        "contacts:suggestions-submit",
        "contacts:reading-submit",
        "contacts:project-submit",
    ):
        page = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert re.search(r"[\u4e00-\u9fff]", page), name
    page = client.get(reverse("contacts:home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "提交" in page


def test_submitting_a_month_and_a_reading_through_the_pages(world, client):
    client.force_login(world["contact"])
    response = client.post(
        reverse("contacts:suggestions-submit"),
        {"month": "2026-06", "made": "12", "implemented": "5"},
    )
    assert response.status_code == 302
    row = SuggestionCount.objects.get(enterprise=world["mine"])
    assert (row.made, row.implemented, row.source) == (12, 5, "enterprise")
    bad = client.post(
        reverse("contacts:suggestions-submit"),
        {"month": "2026-07", "made": "1", "implemented": "5"},
    )
    assert bad.status_code == 400  # implemented > made: the form comes back with its message
    assert SuggestionCount.objects.count() == 1
    page = client.get(reverse("contacts:projects")).content.decode()
    assert "Submitted by the enterprise" in page


def test_a_contact_requests_and_downloads_their_enterprise_report(world, client, settings):
    from django.core.files.base import ContentFile

    from reports.models import ReportRun

    client.force_login(world["contact"])
    response = client.post(reverse("contacts:reports"), {"language": "zh-hans"})
    assert response.status_code == 302
    run = ReportRun.objects.get(enterprise=world["mine"])
    assert run.kind == "enterprise" and run.requested_by == world["contact"]
    run.status = "done"
    run.file.save("r.pdf", ContentFile(b"%PDF-1.7"), save=True)
    assert client.get(reverse("contacts:report-download", args=[run.pk])).status_code == 200
    other = ReportRun.objects.create(
        kind="enterprise",
        partner=world["cast"].zj,
        enterprise=world["neighbour"],
        status="done",
        params_key="neighbour",
    )
    assert client.get(reverse("contacts:report-download", args=[other.pk])).status_code == 404


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_the_portals_pages_run_a_fixed_number_of_queries(world, client):
    import datetime

    client.force_login(world["contact"])
    names = ("contacts:home", "contacts:actions", "contacts:kpis", "contacts:projects")
    kpi = KPIDefinition.objects.get(code="defect_rate")

    visit = _visit(world["mine"], world["cast"].zj, number=1)

    def grow(first, count):
        for index in range(first, first + count):
            action = visit.actions.create(description=f"a{index}")
            action_progress_report(
                acting_user=world["contact"], action=action, note="n", proposed_status="done"
            )
            enterprise_kpi_reading_submit(
                acting_user=world["contact"],
                enterprise=world["mine"],
                kpi=kpi,
                kind="follow_up",
                period_start=datetime.date(2025, index + 1, 1),
                period_end=datetime.date(2025, index + 1, 28),
                value=index + 1,
                confirm_unusual=True,
                unusual_reason="test",
            )
            enterprise_suggestions_submit(
                acting_user=world["contact"],
                enterprise=world["mine"],
                month=datetime.date(2025, index + 1, 1),
                made=3,
                implemented=1,
            )

    grow(0, 1)
    small = {name: _queries(client, reverse(name)) for name in names}
    grow(1, 4)
    assert {name: _queries(client, reverse(name)) for name in names} == small


def test_the_api_does_not_exist_for_a_contact(world, client):
    client.force_login(world["contact"])
    for url in (
        "/api/v1/enterprises/",
        f"/api/v1/enterprises/{world['mine'].pk}/",
        "/api/v1/kpi-readings/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code in (403, 404), url  # CSRF first for sessions
