"""One form per visit: the visit, its actions, the review of open actions and every KPI
reading collected (with a photo), saved together or not at all (issue 15)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory
from trainers.forms.visit_readings import last_month
from trainers.services.assignments import assignment_add
from trainers.services.visits import plan_visits

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def visit(cast):
    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    enrolment = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj), status="in_consulting"
    )
    assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=trainer)
    plan_visits(
        acting_user=cast.zj_staff,
        enrolment=enrolment,
        after=TODAY - datetime.timedelta(days=20),
        default_trainer=trainer,
    )
    return enrolment.visits.get(number=1)


def _post(**extra):
    start, end = last_month(TODAY)
    data = {
        "visit_date": TODAY.isoformat(),
        "mode": "on_site",
        "topics": "Defect tally",
        "findings": "Two lines",
        "action_0": "Post the tally sheet",
    }
    for code, value in (("defect_rate", "4.5"), ("waste", "3")):
        data |= {
            f"kpi-{code}-value": value,
            f"kpi-{code}-kind": "baseline",
            f"kpi-{code}-period_start": start.isoformat(),
            f"kpi-{code}-period_end": end.isoformat(),
        }
    data |= extra
    return data


def test_the_visit_form_has_a_row_per_active_kpi(client, cast, visit):
    client.force_login(cast.zj_trainer)
    response = client.get(reverse("trainers:visits:record", args=[visit.pk]))
    page = response.content.decode()
    for kpi in KPIDefinition.objects.filter(is_active=True):
        assert f'name="kpi-{kpi.code}-value"' in page
    assert page.count("<form") - page.count('role="search"') >= 1
    assert 'enctype="multipart/form-data"' in page
    row = next(iter(response.context["readings"]))
    assert row["kind"].value() == "baseline"
    assert row["period_end"].value() == last_month(TODAY)[1]


def test_one_submission_saves_the_visit_its_actions_and_readings_with_a_photo(client, cast, visit):
    client.force_login(cast.zj_trainer)
    photo = SimpleUploadedFile("line.png", PNG, "image/png")
    response = client.post(
        reverse("trainers:visits:record", args=[visit.pk]),
        _post(**{"kpi-waste-evidence": photo}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visit.refresh_from_db()
    assert visit.status == "recorded" and visit.actions.count() == 1
    readings = {r.kpi.code: r for r in KPIReading.objects.select_related("kpi")}
    assert set(readings) == {"defect_rate", "waste"}
    assert readings["waste"].evidence and not readings["defect_rate"].evidence
    assert all(r.recorded_by == cast.zj_trainer and r.source == "visit" for r in readings.values())


def test_a_refused_reading_keeps_nothing_and_says_which(client, cast, visit):
    client.force_login(cast.zj_trainer)
    response = client.post(
        reverse("trainers:visits:record", args=[visit.pk]),
        _post(**{"kpi-defect_rate-value": "250"}),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "outside the plausible range" in page and "Some KPI readings need attention" in page
    visit.refresh_from_db()
    assert visit.status == "planned" and not visit.actions.exists()
    assert not KPIReading.objects.exists()
    response = client.post(
        reverse("trainers:visits:record", args=[visit.pk]),
        _post(
            **{
                "kpi-defect_rate-value": "250",
                "kpi-defect_rate-confirm_unusual": "on",
                "kpi-defect_rate-unusual_reason": "Rework counted",
            }
        ),
    )
    assert response.status_code == 302
    assert KPIReading.objects.count() == 2


def test_a_row_without_a_period_is_refused(client, cast, visit):
    client.force_login(cast.zj_trainer)
    response = client.post(
        reverse("trainers:visits:record", args=[visit.pk]),
        _post(**{"kpi-waste-period_start": ""}),
    )
    assert response.status_code == 400
    visit.refresh_from_db()
    assert visit.status == "planned" and not KPIReading.objects.exists()


def test_photos_of_the_visit_are_kept_and_served_only_in_scope(client, cast, visit):
    client.force_login(cast.zj_trainer)
    photos = [SimpleUploadedFile(f"p{i}.png", PNG, "image/png") for i in range(2)]
    response = client.post(reverse("trainers:visits:record", args=[visit.pk]), _post(photos=photos))
    assert response.status_code == 302
    files = list(visit.files.all())
    assert [f.name for f in files] == ["p0.png", "p1.png"]
    url = reverse("trainers:visits:file", args=[visit.pk, files[0].pk])
    client.force_login(cast.zj_staff)
    assert url in client.get(reverse("trainers:visits:detail", args=[visit.pk])).content.decode()
    assert b"".join(client.get(url).streaming_content) == PNG
    client.force_login(cast.sc_staff)
    assert client.get(url).status_code == 404


def test_a_photo_that_is_not_a_picture_keeps_nothing(client, cast, visit):
    client.force_login(cast.zj_trainer)
    fake = SimpleUploadedFile("p.png", b"MZ not a picture", "image/png")
    response = client.post(reverse("trainers:visits:record", args=[visit.pk]), _post(photos=[fake]))
    assert response.status_code == 400
    visit.refresh_from_db()
    assert (
        visit.status == "planned" and not visit.files.exists() and not KPIReading.objects.exists()
    )


def test_the_visit_and_its_readings_are_announced_in_one_call_each(client, cast, visit):
    """A handler (the webhooks) is called once for the visit and once for all its readings,
    however many were collected (``events.batched``), and not at all when nothing is kept."""
    from score_portal import events

    calls = []

    def count(event, instances):
        calls.append((event, type(instances[0]).__name__, len(instances)))

    events.register_handler(count)
    try:
        client.force_login(cast.zj_trainer)
        url = reverse("trainers:visits:record", args=[visit.pk])
        refused = client.post(url, _post(**{"kpi-waste-value": "-1"}))
        assert refused.status_code == 400 and not KPIReading.objects.exists()
        assert calls == []
        assert client.post(url, _post()).status_code == 302
    finally:
        events._handlers.remove(count)
    readings = [c for c in calls if c[1] == "KPIReading"]
    assert readings == [("created", "KPIReading", 2)]
    assert ("updated", "ConsultingVisit", 1) in calls
