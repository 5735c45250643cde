import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    TrainerFactory,
    WorkshopFactory,
    _module,
    certify,
)
from trainers.models import ConsultingVisit
from workshops.models import Attendance, Workshop

pytestmark = pytest.mark.django_db


def test_staff_schedule_a_workshop(client, cast):
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("workshops:create"),
        {
            "partner": cast.zj.pk,
            "module": _module("M1").pk,
            "title": "M1 Huzhou spring",
            "start_date": "2026-12-01",
            "end_date": "2026-12-02",
            "city": "Huzhou",
            "capacity": 20,
            "status": "open",
        },
    )
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and workshop.partner == cast.zj


def test_last_day_before_first_day_is_refused(client, cast):
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("workshops:create"),
        {
            "partner": cast.zj.pk,
            "module": _module("M1").pk,
            "title": "Backwards",
            "start_date": "2026-12-02",
            "end_date": "2026-12-01",
            "capacity": 20,
            "status": "open",
        },
    )
    assert response.status_code == 400 and not Workshop.objects.exists()
    assert "last day is before the first day" in response.content.decode()


def test_list_and_calendar_keep_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.programme)
    today = datetime.date.today()

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = WorkshopFactory(partner=cast.zj, start_date=today, end_date=today)
    first.trainer_links.create(trainer=TrainerFactory(partners=[cast.zj]), is_lead=True)
    small = (queries(reverse("workshops:list")), queries(reverse("workshops:calendar")))
    for offset in range(25):
        workshop = WorkshopFactory(
            partner=cast.sc,
            start_date=today + datetime.timedelta(days=offset),
            end_date=today + datetime.timedelta(days=offset + 1),
        )
        trainer = TrainerFactory(partners=[cast.sc])
        workshop.trainer_links.create(trainer=trainer, is_lead=True)
    large = (queries(reverse("workshops:list")), queries(reverse("workshops:calendar")))
    assert small == large
    assert max(large) <= 10


def test_invite_add_delegation_record_attendance_and_complete(client, cast):
    trainer = TrainerFactory(partners=[cast.zj])
    certify(trainer)
    workshop = WorkshopFactory(partner=cast.zj)
    workshop.trainer_links.create(trainer=trainer, is_lead=True)
    enrolments = [EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj)) for _ in range(2)]
    client.force_login(cast.zj_staff)
    client.post(
        reverse("workshops:invite", args=[workshop.pk]), {"enrolments": [e.pk for e in enrolments]}
    )
    assert workshop.invitations.count() == 2
    response = client.post(
        reverse("workshops:delegation-add", args=[workshop.pk, enrolments[0].pk]),
        {
            "name_0": "Wang Li",
            "sex_0": "F",
            "level_0": "manager",
            "name_1": "Zhou Qiang",
            "sex_1": "M",
            "level_1": "worker",
            "position_1": "Welder",
        },
    )
    assert response.status_code == 302
    assert workshop.participants.count() == 2
    bad = client.post(
        reverse("workshops:delegation-add", args=[workshop.pk, enrolments[1].pk]),
        {"name_0": "No sex", "level_0": "worker"},
    )
    assert bad.status_code == 400 and workshop.participants.count() == 2
    wang = workshop.participants.get(name="Wang Li")
    grid = client.get(reverse("workshops:attendance", args=[workshop.pk]))
    assert f"p{wang.pk}_20260610" in grid.content.decode()
    client.post(
        reverse("workshops:attendance", args=[workshop.pk]),
        {f"p{wang.pk}_20260610": "on", f"p{wang.pk}_20260611": "on"},
    )
    assert Attendance.objects.filter(present=True).count() == 2
    assert Attendance.objects.filter(present=False).count() == 2
    page = client.get(reverse("trainers:teaching:complete", args=[workshop.pk]))
    assert "1 enterprise attended" in page.content.decode()
    client.post(reverse("trainers:teaching:complete", args=[workshop.pk]))
    workshop.refresh_from_db()
    assert workshop.status == "held"
    assert ConsultingVisit.objects.filter(enrolment=enrolments[0]).count() == 4
    assert not ConsultingVisit.objects.filter(enrolment=enrolments[1]).exists()
    detail = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert "1 woman, 1 man" in detail and "1 manager, 1 worker" in detail


def test_completing_without_attendance_explains_why(client, cast):
    workshop = WorkshopFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    response = client.post(reverse("trainers:teaching:complete", args=[workshop.pk]))
    assert response.status_code == 400
    assert "Record the attendance" in response.content.decode()


def test_choosing_an_uncertified_trainer_asks_for_a_reason(client, cast):
    trainer = TrainerFactory(partners=[cast.zj], name="New Person")
    workshop = WorkshopFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    url = reverse("trainers:teaching:team", args=[workshop.pk])
    response = client.post(url, {"trainers": [trainer.pk]})
    assert response.status_code == 400
    assert "not certified for M1" in response.content.decode()
    assert (
        client.post(
            url, {"trainers": [trainer.pk], "reason": "Only trainer in the region"}
        ).status_code
        == 302
    )
    assert workshop.trainer_links.get().trainer == trainer


def test_trainer_sees_and_records_only_workshops_they_teach(client, cast):
    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    taught, other = WorkshopFactory(partner=cast.zj), WorkshopFactory(partner=cast.zj)
    taught.trainer_links.create(trainer=trainer, is_lead=True)
    client.force_login(cast.zj_trainer)
    assert client.get(reverse("workshops:detail", args=[taught.pk])).status_code == 200
    assert client.get(reverse("workshops:attendance", args=[taught.pk])).status_code == 200
    assert client.get(reverse("workshops:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("workshops:edit", args=[taught.pk])).status_code == 403
    listed = client.get(reverse("workshops:list") + "?when=all").context["page"]
    assert [w.pk for w in listed] == [taught.pk]


def test_workshop_pages_in_chinese(client, cast):
    workshop = WorkshopFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert "模块一 工作场所合作" in page and "记录出勤" in page
