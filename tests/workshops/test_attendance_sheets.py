"""Issue 19: a workshop's delegations and attendance from the usual sheet (姓名, 性别, 职务,
单位, 手机号码, dates as columns), with the import's preview and rules: every row's outcome,
nothing written before confirming, and the same sheet twice adds no one twice."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import EnrolmentFactory, EnterpriseFactory, WorkshopFactory
from workshops.models import Attendance, Participant, ParticipantImport
from workshops.services.imports import (
    participant_import_confirm,
    participant_import_create,
    participant_import_run,
)

pytestmark = pytest.mark.django_db
DAY1 = datetime.date.today() - datetime.timedelta(days=10)
DAY2 = DAY1 + datetime.timedelta(days=1)
TITLE = ["2026年SCORE模块一培训签到表"]


@pytest.fixture
def workshop(cast):
    workshop = WorkshopFactory(partner=cast.zj, start_date=DAY1, end_date=DAY2, capacity=20)
    huamei = EnrolmentFactory(
        enterprise=EnterpriseFactory(
            partner=cast.zj, name="Huamei Garments", name_zh="宁波华美服饰有限公司"
        ),
        module=workshop.module,
    )
    lida = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj, name="Lida Castings Co., Ltd.", name_zh=""),
        module=workshop.module,
    )
    workshop.invitations.add(huamei, lida)
    workshop.huamei, workshop.lida = huamei, lida
    return workshop


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["序号", "01 姓名", "性别(必填)", "职务", "单位", "手机号码"]
DAYS = [
    datetime.datetime.combine(DAY1, datetime.time()),  # a real date cell, morning
    f"{DAY1.month}月{DAY1.day}日（下午）",  # the same day's afternoon, as typed
    "第2天",
]


def run(user, workshop, data, name="签到表.xlsx", language="zh-hans"):
    with translation.override(language):
        job = participant_import_create(acting_user=user, workshop=workshop, name=name, data=data)
    participant_import_run(job.pk)
    job.refresh_from_db()
    return job


def confirm(user, job):
    participant_import_confirm(acting_user=user, job=job)
    participant_import_run(job.pk)
    job.refresh_from_db()
    return job


def outcomes(job):
    return {row["name"]: (row["outcome"], row["errors"]) for row in job.result["rows"]}


def test_a_real_sheet_is_previewed_row_by_row_and_writes_nothing(cast, workshop):
    data = xlsx(
        [
            TITLE,
            [],
            HEADER + DAYS,
            ["示例", "示例：张三", "男", "经理", "某某公司", "13900000000", "✓", "✓", "✓"],
            [1, "王芳", "女", "车间主任", "华美服饰", 13800138000.0, "√", None, "迟到"],
            [
                2,
                "李强",
                "男 ",
                "操作工",
                "Lida Castings Co., Ltd.",
                "139-0000-0001",
                "请假",
                "请假",
                "缺席",
            ],
            [3, "赵六", "未知", "员工", "华美服饰", "", "✓", "✓", "✓"],
            [4, "钱七", "女", "员工", "不存在的公司", "", "✓", "✓", "✓"],
            [5, "王芳", "女", "车间主任", "宁波华美服饰有限公司", "13800138000", "✓", "✓", "✓"],
            [6, "孙八", "女", "质检员", "华美服饰", "", "x", "✓", "✓"],
        ]
    )
    job = run(cast.zj_staff, workshop, data)
    assert job.status == "previewed" and job.dry_run
    rows = outcomes(job)
    assert "示例：张三" not in rows  # the template's example row is left out
    assert rows["李强"] == ("new", [])
    assert rows["赵六"][0] == "error" and "未知" in rows["赵六"][1][0]
    assert rows["钱七"][0] == "error" and "不存在的公司" in rows["钱七"][1][0]
    assert "宁波华美服饰有限公司" in rows["钱七"][1][0]  # it lists the invited enterprises
    assert rows["孙八"][0] == "error" and "x" in rows["孙八"][1][0]
    first, repeat = [r for r in job.result["rows"] if r["name"] == "王芳"]
    assert first["outcome"] == "new" and first["errors"] == []
    assert repeat["outcome"] == "error" and "5" in repeat["errors"][0]
    assert first["level"] == "manager" and first["sex"] == "F"  # 车间主任 is a manager
    assert first["phone"] == "13800138000"  # not 13800138000.0
    # The morning was ticked and the afternoon blank: attended; day 2 late.
    assert first["days"] == {DAY1.isoformat(): "present", DAY2.isoformat(): "late"}
    li = next(r for r in job.result["rows"] if r["name"] == "李强")
    assert li["level"] == "worker" and li["enterprise"] == "Lida Castings Co., Ltd."
    assert li["days"] == {DAY1.isoformat(): "excused", DAY2.isoformat(): "absent"}
    assert job.counts == {"new": 2, "update": 0, "unchanged": 0, "error": 4}
    assert not job.can_confirm
    assert Participant.objects.count() == 0 and Attendance.objects.count() == 0


def test_the_corrected_sheet_imports_once_and_leaves_others_alone(cast, workshop):
    earlier = workshop.participants.create(
        enrolment=workshop.lida, name="Chen Early", sex="M", level="worker"
    )
    Attendance.objects.create(participant=earlier, day=DAY1, status="present", present=True)
    rows = [
        TITLE,
        HEADER + DAYS,
        [1, "王芳", "女", "车间主任", "华美服饰", 13800138000.0, "√", None, "迟到"],
        [2, "李强", "男", "操作工", "Lida Castings", "13900000001", "请假", "请假", "缺席"],
    ]
    job = run(cast.zj_staff, workshop, xlsx(rows))
    assert job.can_confirm, job.result
    job = confirm(cast.zj_staff, job)
    assert job.status == "applied", job.error
    people = {p.name: p for p in workshop.participants.all()}
    assert set(people) == {"Chen Early", "王芳", "李强"}
    wang = people["王芳"]
    assert (wang.enrolment, wang.sex, wang.level, wang.position) == (
        workshop.huamei,
        "F",
        "manager",
        "车间主任",
    )
    marks = {(a.participant.name, a.day): a.status for a in Attendance.objects.all()}
    assert marks == {
        ("Chen Early", DAY1): "present",  # not on the sheet: untouched, day 2 not invented
        ("王芳", DAY1): "present",
        ("王芳", DAY2): "late",
        ("李强", DAY1): "excused",
        ("李强", DAY2): "absent",
    }
    assert wang.history.first().history_user == cast.zj_staff

    again = run(cast.zj_staff, workshop, xlsx(rows))
    assert again.counts == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    confirm(cast.zj_staff, again)
    assert workshop.participants.count() == 3 and Attendance.objects.count() == 5

    rows[2][5] = "13800138999"  # a corrected phone number updates the person
    changed = run(cast.zj_staff, workshop, xlsx(rows))
    assert changed.counts["update"] == 1
    confirm(cast.zj_staff, changed)
    wang.refresh_from_db()
    assert wang.phone == "13800138999" and workshop.participants.count() == 3


def test_capacity_future_days_and_foreign_dates_are_refused(cast, workshop):
    workshop.capacity = 1
    workshop.save()
    full = run(
        cast.zj_staff,
        workshop,
        xlsx(
            [
                ["姓名", "性别", "职务", "单位"],
                ["甲", "女", "员工", "华美服饰"],
                ["乙", "男", "员工", "华美服饰"],
            ]
        ),
    )
    assert [row["outcome"] for row in full.result["rows"]] == ["new", "error"]
    assert full.result["rows"][1]["errors"] == ["培训班已满（容量 1 人）。"]

    soon = WorkshopFactory(
        partner=cast.zj,
        start_date=datetime.date.today() + datetime.timedelta(days=3),
        end_date=datetime.date.today() + datetime.timedelta(days=3),
    )
    soon.invitations.add(workshop.huamei)
    day = soon.start_date
    future = run(
        cast.zj_staff,
        soon,
        xlsx(
            [
                ["姓名", "性别", "职务", f"{day.month}月{day.day}日"],
                ["甲", "女", "员工", "✓"],
                ["乙", "男", "员工", None],
            ]
        ),
        language="en",
    )
    first, second = future.result["rows"]
    assert first["outcome"] == "error" and "has not come yet" in first["errors"][0]
    assert second["outcome"] == "new" and second["days"] == {}  # a delegation list ahead

    other_day = DAY1 - datetime.timedelta(days=30)
    foreign = run(
        cast.zj_staff,
        workshop,
        xlsx([["姓名", "性别", "单位", other_day.isoformat()], ["甲", "女", "华美服饰", "✓"]]),
        language="en",
    )
    assert (
        foreign.result["file_errors"] and other_day.isoformat() in foreign.result["file_errors"][0]
    )
    assert foreign.result["rows"] == []


def test_a_gbk_csv_and_a_sheet_without_enterprise_column_for_one_enterprise(cast):
    workshop = WorkshopFactory(partner=cast.zj, start_date=DAY1, end_date=DAY1)
    only = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj), module=workshop.module)
    workshop.invitations.add(only)
    text = f"姓名,性别,职务,{DAY1.isoformat()}\r\n周九,女,总经理,出席\r\n吴十,男,工人,\r\n"
    job = run(cast.zj_staff, workshop, text.encode("gb18030"), name="签到.csv")
    assert job.counts == {"new": 2, "update": 0, "unchanged": 0, "error": 0}, job.result
    job = confirm(cast.zj_staff, job)
    assert sorted(workshop.participants.values_list("name", "level")) == [
        ("吴十", "worker"),
        ("周九", "manager"),
    ]
    assert sorted(Attendance.objects.values_list("participant__name", "status")) == [
        ("吴十", "absent"),
        ("周九", "present"),
    ]


def test_garbage_files_fail_with_a_reason(cast, workshop):
    job = run(
        cast.zj_staff, workshop, b"PK\x03\x04 not really a workbook", name="x.xlsx", language="en"
    )
    assert job.status == "failed" and "not a spreadsheet" in job.error, job.error
    job = run(cast.zj_staff, workshop, xlsx([["foo", "bar"], [1, 2]]), language="en")
    assert job.status == "previewed" and "No header row" in job.result["file_errors"][0]
    assert not job.can_confirm


def test_pages_in_both_languages_and_scope(client, cast, workshop):
    upload = reverse("workshops:sheet-upload", args=[workshop.pk])
    client.force_login(cast.zj_staff)
    assert client.get(upload).status_code == 200
    sheet = io.BytesIO(xlsx([["姓名", "性别", "职务", "单位"], ["甲", "女", "员工", "华美服饰"]]))
    sheet.name = "sheet.xlsx"
    response = client.post(upload, {"file": sheet, "upload": "1"})
    job = ParticipantImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{job.pk}/")
    participant_import_run(job.pk)
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    body = page.content.decode()
    assert "甲" in body and "女" in body and "宁波华美服饰有限公司" in body
    confirm_url = reverse("workshops:sheet-job-confirm", args=[workshop.pk, job.pk])
    assert client.get(confirm_url).status_code == 405
    client.post(confirm_url)
    participant_import_run(job.pk)
    assert workshop.participants.filter(name="甲").exists()

    # A trainer sees only the workshops they teach; a partner manager reads but does not import.
    for user, status in ((cast.zj_trainer, 404), (cast.sc_staff, 404), (cast.zj_manager, 403)):
        client.force_login(user)
        assert client.get(upload).status_code == status, user
        assert client.get(response["Location"]).status_code == status, user
