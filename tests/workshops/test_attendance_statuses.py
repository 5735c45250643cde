"""Issue 20, item 4: late and excused attendance, and "everyone present" for a day. A late
participant attended (counts, certificates, consulting); an excused one did not."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.builders import build_workshop
from tests.factories import EnrolmentFactory, EnterpriseFactory, WorkshopFactory
from workshops.models import Attendance
from workshops.selectors.workshops import attending_enterprise_count
from workshops.services import attendance_record
from workshops.services.workshops import attending_enrolments

pytestmark = pytest.mark.django_db
ZH = "zh-hans"


@pytest.fixture
def grid(cast):
    workshop = WorkshopFactory(
        partner=cast.zj,
        start_date=datetime.date(2026, 6, 10),
        end_date=datetime.date(2026, 6, 11),
        title="M1 Ningbo",
    )
    late_co = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj, name="Late Co."))
    excused_co = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj, name="Excused Co."))
    workshop.invitations.add(late_co, excused_co)
    late = workshop.participants.create(enrolment=late_co, name="Lu Late", sex="M", level="worker")
    excused = workshop.participants.create(
        enrolment=excused_co, name="Xu Excused", sex="F", level="manager"
    )
    return workshop, late, excused


def _statuses(workshop):
    return {
        (a.participant.name, a.day.day): a.mark
        for a in Attendance.objects.filter(participant__workshop=workshop).select_related(
            "participant"
        )
    }


def test_late_attended_and_excused_did_not(cast, grid):
    workshop, late, excused = grid
    day1, day2 = workshop.days
    attendance_record(
        acting_user=cast.zj_staff,
        workshop=workshop,
        statuses={(late.pk, day1): "late", (excused.pk, day1): "excused"},
    )
    assert _statuses(workshop) == {
        ("Lu Late", 10): "late",
        ("Lu Late", 11): "absent",
        ("Xu Excused", 10): "excused",
        ("Xu Excused", 11): "absent",
    }
    assert [e.enterprise.name for e in attending_enrolments(workshop)] == ["Late Co."]
    assert attending_enterprise_count(workshop) == 1
    context = build_workshop(workshop_id=workshop.pk)
    assert [c["name"] for c in context["certificates"]] == ["Lu Late"]
    rows = {row[1]: row for row in context["sections"][0]["tables"][0]["rows"]}
    assert rows["Lu Late"][5:] == ["✓ late", "", 1]
    assert rows["Xu Excused"][5:] == ["excused", "", 0]


def test_an_unknown_status_is_refused_and_nothing_changes(cast, grid):
    workshop, late, _excused = grid
    with pytest.raises(ValidationError, match="present, late, excused or absent"):
        attendance_record(
            acting_user=cast.zj_staff,
            workshop=workshop,
            statuses={(late.pk, workshop.start_date): "sleeping"},
        )
    assert not Attendance.objects.exists()


def test_everyone_present_keeps_late_and_excused(cast, grid):
    workshop, late, excused = grid
    day1, _day2 = workshop.days
    other = workshop.participants.create(
        enrolment=late.enrolment, name="An Other", sex="F", level="worker"
    )
    attendance_record(
        acting_user=cast.zj_staff,
        workshop=workshop,
        statuses={
            (late.pk, day1): "late",
            (excused.pk, day1): "excused",
            (other.pk, day1): "absent",
        },
        everyone_present_on=day1,
    )
    marks = _statuses(workshop)
    assert marks[("Lu Late", 10)] == "late"
    assert marks[("Xu Excused", 10)] == "excused"
    assert marks[("An Other", 10)] == "present"
    assert marks[("An Other", 11)] == "absent"  # only that day


@pytest.mark.parametrize(
    ("language", "button", "late"), [("en", "Everyone present", "Late"), (ZH, "全部出席", "迟到")]
)
def test_the_grid_offers_everyone_present_and_the_statuses(
    client, cast, grid, language, button, late
):
    workshop, late_person, excused = grid
    client.force_login(cast.zj_staff)
    client.cookies["django_language"] = language
    url = reverse("workshops:attendance", args=[workshop.pk])
    page = client.get(url).content.decode()
    assert button in page and f">{late}</option>" in page
    response = client.post(
        url,
        {f"p{late_person.pk}_20260611": "late", "everyone_present": "20260610"},
    )
    assert response.status_code == 302 and response.url == url  # back to the grid
    marks = _statuses(workshop)
    assert marks[("Lu Late", 10)] == marks[("Xu Excused", 10)] == "present"
    assert marks[("Lu Late", 11)] == "late" and marks[("Xu Excused", 11)] == "absent"
    page = client.get(url).content.decode()
    assert 'value="late" selected' in page


def test_a_bad_day_for_everyone_present_is_refused(client, cast, grid):
    workshop, _late, _excused = grid
    client.force_login(cast.zj_staff)
    url = reverse("workshops:attendance", args=[workshop.pk])
    response = client.post(url, {"everyone_present": "20990101"})
    assert response.status_code == 400
    assert "participants and days" in response.content.decode()
    assert not Attendance.objects.exists()


def test_rows_written_with_present_only_read_as_present_or_absent(cast, grid):
    workshop, late, excused = grid
    Attendance.objects.create(participant=late, day=workshop.start_date, present=True)
    Attendance.objects.create(participant=excused, day=workshop.start_date, present=False)
    assert _statuses(workshop) == {("Lu Late", 10): "present", ("Xu Excused", 10): "absent"}
    with pytest.raises(Exception):  # noqa: B017 (the database constraint)
        Attendance.objects.create(
            participant=late, day=workshop.end_date, present=True, status="excused"
        )
