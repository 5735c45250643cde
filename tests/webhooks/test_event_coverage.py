"""Every write of a subscribed record reaches the outbox, bulk paths included: one delivery
per record written (none for a row an import leaves as it is), and a bulk write costs the
handlers a fixed number of queries however many rows it writes.

Each test subscribes one programme-wide endpoint to every object and event, does the write
through the real service or page, and compares the outbox with what was written; ``_watch``
also checks that every history row the write left (created, changed, deleted) has its
delivery, so a write path that forgets to announce a record fails here."""

from __future__ import annotations

import datetime
import io
import itertools
from contextlib import contextmanager

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import KPIDefinition
from enterprises.models import Enrolment, Enterprise, EnterpriseGroup, KPILatest, KPIReading
from enterprises.services import enterprise_merge, enterprise_statuses_sync
from enterprises.services.review import kpi_readings_verify
from enterprises.transfer.importing import run_import
from enterprises.transfer.parsing import parse
from score_portal import events
from tests.enterprises.import_files import csv_bytes, valid_uscc
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, WorkshopFactory
from trainers.models import ConsultingVisit
from trainers.services.assignments import assignment_add
from trainers.services.visits import plan_visits
from webhooks.models import WebhookDelivery
from webhooks.outbox import OBJECT_TYPES
from webhooks.services import webhook_endpoint_create
from workshops.models import Attendance, Participant
from workshops.services.imports import (
    participant_import_confirm,
    participant_import_create,
    participant_import_run,
)
from workshops.services.participants import attendance_record, participant_delete

pytestmark = pytest.mark.django_db
DAY1 = datetime.date.today() - datetime.timedelta(days=10)
DAY2 = DAY1 + datetime.timedelta(days=1)
_codes = itertools.count(1)
HISTORY_EVENTS = {"+": {"created"}, "~": {"updated", "verified", "returned"}, "-": {"deleted"}}


@pytest.fixture
def hook(cast, local_webhooks):
    """A programme-wide endpoint for every object and event: one delivery per event."""
    return webhook_endpoint_create(
        acting_user=cast.programme,
        partner=None,
        url="http://127.0.0.1:9/hook",
        objects_subscribed=list(OBJECT_TYPES),
        events=list(events.EVENTS),
    )[0]


def outbox(since: int = 0) -> set[tuple[str, str, str]]:
    return set(
        WebhookDelivery.objects.filter(pk__gt=since).values_list(
            "object_type", "event", "object_id"
        )
    )


def _last_delivery() -> int:
    return WebhookDelivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def rows(object_type: str, event: str, *records) -> set[tuple[str, str, str]]:
    return {(object_type, event, str(getattr(r, "pk", r))) for r in records}


@contextmanager
def _watch():
    """Yield a dict that holds, once the block ends, the deliveries it added (``new``);
    and check that each history row it left has its delivery (same object, an event of its
    kind)."""
    histories = {name: model.history.model for name, (model, _s) in OBJECT_TYPES.items()}
    before = {
        name: history.objects.order_by("-history_id").values_list("history_id", flat=True).first()
        or 0
        for name, history in histories.items()
    }
    last = _last_delivery()
    seen: dict = {}
    yield seen
    seen["new"] = delivered = outbox(last)
    if not events._handlers:
        return  # the run without handlers of ``_handler_queries``
    for name, history in histories.items():
        written = history.objects.filter(history_id__gt=before[name]).values_list(
            "id", "history_type"
        )
        for pk, kind in written:
            announced = {event for o, event, i in delivered if o == name and i == str(pk)}
            assert announced & HISTORY_EVENTS[kind], (name, pk, kind, "written, not announced")


def _handler_queries(run, n: int) -> int:
    """The queries the event handlers add to ``run(n)``: the same write with and without
    them (fresh rows each time), after a first run that fills the caches."""
    run(1, "warm")
    with CaptureQueriesContext(connection) as with_handlers:
        run(n, "with")
    handlers = list(events._handlers)
    events._handlers.clear()
    try:
        with CaptureQueriesContext(connection) as without:
            run(n, "without")
    finally:
        events._handlers.extend(handlers)
    return len(with_handlers) - len(without)


def sent(tag: str, expected: set) -> set:
    """What a run of ``_handler_queries`` delivers: nothing in the run without handlers."""
    return set() if tag == "without" else expected


# --- the enterprise import ---------------------------------------------------------------

HEADERS = ["name", "credit_code", "sector", "province", "city", "employees_total"]


def _import(cast, table, **kwargs):
    return run_import(
        acting_user=cast.zj_staff,
        partner=cast.zj,
        parsed=parse(io.BytesIO(csv_bytes(table)), "enterprises.csv"),
        dry_run=False,
        **kwargs,
    )


def _enterprise_rows(n: int, prefix: str = "Firm"):
    return [
        [
            f"{prefix} {i} Co., Ltd.",
            valid_uscc(f"91330100MA{next(_codes):07d}"),
            "C13",
            "Zhejiang",
            "Huzhou",
            100 + i,
        ]
        for i in range(n)
    ]


def test_the_bulk_enterprise_import_announces_each_row_written_once(cast, hook):
    table = [HEADERS, *_enterprise_rows(4)]
    with _watch() as seen:
        result = _import(cast, table)
    assert result.applied and result.counts["new"] == 4
    created = Enterprise.objects.filter(partner=cast.zj, name__startswith="Firm ")
    assert seen["new"] == rows("enterprise", "created", *created)

    with _watch() as seen:
        again = _import(cast, table)  # the keyed upsert changes nothing: nothing is sent
    assert again.counts["unchanged"] == 4 and seen["new"] == set()

    table[2][5] = 999  # one corrected row: one update
    with _watch() as seen:
        _import(cast, table)
    changed = Enterprise.objects.get(employees_total=999)
    assert seen["new"] == rows("enterprise", "updated", changed)
    assert '"employees_total":999' in WebhookDelivery.objects.get(event="updated").body


def test_the_bulk_enterprise_import_costs_the_handlers_the_same_for_any_size(cast, hook):
    def run(n, tag):
        result = _import(cast, [HEADERS, *_enterprise_rows(n, f"{tag}{n}")])
        assert result.applied and result.counts["new"] == n

    small, large = _handler_queries(run, 3), _handler_queries(run, 30)
    assert 0 < small == large  # the events are written, for the same cost


def test_the_row_by_row_import_batches_its_events_and_drops_a_failed_rows(cast, hook):
    """With enrolment columns the import writes row by row through the services; the
    events are handed over together, and a row that fails takes its events with it."""
    table = [
        [*HEADERS, "module"],
        *[[*row, "M1"] for row in _enterprise_rows(3, "Rowwise")],
        ["Refused Co., Ltd.", "", "C13", "Zhejiang", "Huzhou", 10, "M2"],  # M2 before M1
    ]
    with _watch() as seen:
        result = _import(cast, table, partial=True)
    assert [r.outcome for r in result.rows] == ["new", "new", "new", "error"]
    made = list(Enterprise.objects.filter(name__startswith="Rowwise"))
    enrolments = Enrolment.objects.filter(enterprise__in=made)
    assert not Enterprise.objects.filter(name__startswith="Refused").exists()
    followed = [e for e in made if e.history.filter(history_type="~").exists()]
    # created (and updated if its status followed the enrolment); nothing of the refused row
    assert seen["new"] == (
        rows("enterprise", "created", *made)
        | rows("enterprise", "updated", *followed)
        | rows("enrolment", "created", *enrolments)
    )

    def run(n, tag):
        body = _enterprise_rows(n, f"Rw{tag}{n}")
        assert _import(cast, [[*HEADERS, "module"], *[[*r, "M1"] for r in body]]).applied

    assert _handler_queries(run, 2) == _handler_queries(run, 8)


# --- merge, bulk actions, the status repair ---------------------------------------------


def _reading(enterprise, kind="baseline", month=1):
    return KPIReading.objects.create(
        enterprise=enterprise,
        kpi=KPIDefinition.objects.get(code="defect_rate"),
        kind=kind,
        period_start=datetime.date(2026, month, 1),
        period_end=datetime.date(2026, month, 28),
        value=4,
    )


def test_a_merge_announces_the_moved_records_the_kept_and_the_deleted_enterprise(cast, hook):
    keep = EnterpriseFactory(partner=cast.zj, city="")
    duplicate = EnterpriseFactory(partner=cast.zj, city="Huzhou")
    enrolment = EnrolmentFactory(enterprise=duplicate)
    reading = _reading(duplicate)
    duplicate_id = duplicate.pk
    with _watch() as seen:
        enterprise_merge(acting_user=cast.zj_staff, keep=keep, duplicate=duplicate)
    assert seen["new"] == (
        rows("enrolment", "updated", enrolment)
        | rows("kpi_reading", "updated", reading)
        | rows("enterprise", "updated", keep)
        | rows("enterprise", "deleted", duplicate_id)
    )
    moved = WebhookDelivery.objects.get(object_type="enrolment")
    assert f'"enterprise":{keep.pk}' in moved.body
    assert KPILatest.objects.get().enterprise_id == keep.pk  # the derived pair follows


def test_the_list_puts_enterprises_in_a_group_and_announces_the_changed_ones(client, cast, hook):
    group = EnterpriseGroup.objects.create(partner=cast.zj, name="Silk group")
    already = EnterpriseFactory(partner=cast.zj, group=group)
    others = [EnterpriseFactory(partner=cast.zj) for _ in range(3)]
    client.force_login(cast.zj_staff)
    selected = [already, *others]
    with _watch() as seen:
        response = client.post(
            reverse("enterprises:bulk"),
            {"action": "group", "group": group.pk, "selected": [e.pk for e in selected]},
        )
    assert response.status_code == 302
    assert seen["new"] == rows("enterprise", "updated", *others)  # not the one already in
    with _watch() as seen:
        client.post(
            reverse("enterprises:bulk"),
            {"action": "ungroup", "selected": [e.pk for e in selected]},
        )
    assert seen["new"] == rows("enterprise", "updated", *selected)


def test_the_lists_status_action_announces_the_changed_ones_in_one_call(client, cast, hook):
    client.force_login(cast.zj_staff)
    follows = EnterpriseFactory(partner=cast.zj, status="prospect")
    EnrolmentFactory(enterprise=follows)  # its status follows its enrolment: left as it is

    def run(n, tag):
        prospects = [EnterpriseFactory(partner=cast.zj, status="prospect") for _ in range(n)]
        withdrawn = EnterpriseFactory(partner=cast.zj, status="withdrawn")
        selected = [*prospects, withdrawn, follows]
        with _watch() as seen:
            client.post(
                reverse("enterprises:bulk"),
                {"action": "status", "status": "withdrawn", "selected": [e.pk for e in selected]},
            )
        assert seen["new"] == sent(tag, rows("enterprise", "updated", *prospects))

    assert _handler_queries(run, 2) == _handler_queries(run, 7)


def test_the_status_repair_announces_the_enterprises_it_corrects(cast, hook):
    enrolled = EnterpriseFactory(partner=cast.zj, status="prospect")
    EnrolmentFactory(enterprise=enrolled, status="enrolled")
    fine = EnterpriseFactory(partner=cast.zj, status="prospect")
    with _watch() as seen:
        assert enterprise_statuses_sync() >= 1
    assert ("enterprise", "updated", str(enrolled.pk)) in seen["new"]
    assert not {d for d in seen["new"] if d[2] == str(fine.pk)}
    body = WebhookDelivery.objects.get(object_id=str(enrolled.pk)).body
    assert '"status":"active"' in body
    with _watch() as seen:
        enterprise_statuses_sync()  # nothing left to correct: nothing sent
    assert seen["new"] == set()


def test_verifying_in_bulk_announces_each_reading_for_a_fixed_cost(cast, hook):
    def run(n, tag):
        enterprise = EnterpriseFactory(partner=cast.zj)
        readings = [_reading(enterprise, "follow_up", month) for month in range(1, n + 1)]
        with _watch() as seen:
            outcome = kpi_readings_verify(
                acting_user=cast.zj_staff,
                readings=KPIReading.objects.filter(pk__in=[r.pk for r in readings]),
            )
        assert len(outcome.verified) == n
        assert seen["new"] == sent(tag, rows("kpi_reading", "verified", *readings))

    assert _handler_queries(run, 2) == _handler_queries(run, 8)


# --- visits ------------------------------------------------------------------------------


def test_planned_visits_and_their_hand_over_are_announced(cast, hook):
    first, second = (TrainerFactory(partners=[cast.zj]) for _ in range(2))
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    with _watch() as seen:
        planned = plan_visits(
            acting_user=cast.zj_staff,
            enrolment=enrolment,
            after=timezone.localdate(),
            default_trainer=first,
        )
    assert planned and seen["new"] == rows("visit", "created", *planned)
    with _watch() as seen:  # another consultant takes over the planned visits
        assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=second)
    assert seen["new"] == rows("visit", "updated", *planned)
    assert set(ConsultingVisit.objects.values_list("trainer", flat=True)) == {second.pk}


# --- attendance and the attendance sheet ------------------------------------------------


def sheet(people) -> bytes:
    """An attendance sheet as partners send it: name, sex, position, company, phone, then
    one column per day; ``people`` holds (name, company, mark on day 1, mark on day 2)."""
    book = openpyxl.Workbook()
    table = book.active
    table.append(["2026年SCORE模块一培训签到表"])
    table.append(
        ["序号", "姓名", "性别", "职务", "单位", "手机号码"]
        + [datetime.datetime.combine(DAY1, datetime.time()), "第2天"]
    )
    for number, (name, company, first, second) in enumerate(people, start=1):
        table.append([number, name, "女", "员工", company, "", first, second])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_preview(user, workshop, data):
    job = participant_import_create(
        acting_user=user, workshop=workshop, name="签到表.xlsx", data=data
    )
    participant_import_run(job.pk)
    job.refresh_from_db()
    assert job.can_confirm, job.result
    return job


def sheet_confirm(user, job):
    participant_import_confirm(acting_user=user, job=job)
    participant_import_run(job.pk)
    job.refresh_from_db()
    return job


@pytest.fixture
def workshop(cast):
    workshop = WorkshopFactory(partner=cast.zj, start_date=DAY1, end_date=DAY2, capacity=50)
    enrolment = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj, name="Huamei Garments", name_zh="华美服饰"),
        module=workshop.module,
    )
    workshop.invitations.add(enrolment)
    workshop.enrolment = enrolment
    return workshop


def test_recording_attendance_announces_new_and_changed_marks_only(cast, hook, workshop):
    people = [
        workshop.participants.create(enrolment=workshop.enrolment, name=n, sex="F", level="worker")
        for n in ("Wang", "Li")
    ]
    present = {(people[0].pk, DAY1)}
    with _watch() as seen:
        attendance_record(acting_user=cast.zj_staff, workshop=workshop, present=present)
    assert seen["new"] == rows("attendance", "created", *Attendance.objects.all())
    with _watch() as seen:  # the same grid again: nothing changed, nothing sent
        attendance_record(acting_user=cast.zj_staff, workshop=workshop, present=present)
    assert seen["new"] == set()
    with _watch() as seen:
        attendance_record(acting_user=cast.zj_staff, workshop=workshop, present=set())
    assert seen["new"] == rows(
        "attendance", "updated", Attendance.objects.get(participant=people[0], day=DAY1)
    )


def test_deleting_a_participant_announces_its_absent_marks_too(cast, hook, workshop):
    person = workshop.participants.create(
        enrolment=workshop.enrolment, name="Zhao", sex="M", level="worker"
    )
    attendance_record(acting_user=cast.zj_staff, workshop=workshop)  # absent both days
    marks = list(person.attendance.values_list("pk", flat=True))
    assert len(marks) == 2
    person_id = person.pk
    with _watch() as seen:
        participant_delete(acting_user=cast.zj_staff, participant=person)
    assert seen["new"] == rows("participant", "deleted", person_id) | rows(
        "attendance", "deleted", *marks
    )


def test_the_attendance_sheet_import_announces_people_and_marks_once(cast, hook, workshop):
    table = sheet([(f"员工{i}", "华美服饰", "✓", "迟到") for i in range(3)])
    job = sheet_preview(cast.zj_staff, workshop, table)
    with _watch() as seen:
        assert sheet_confirm(cast.zj_staff, job).status == "applied"
    assert seen["new"] == rows("participant", "created", *Participant.objects.all()) | rows(
        "attendance", "created", *Attendance.objects.all()
    )
    assert Attendance.objects.count() == 6
    again = sheet_preview(cast.zj_staff, workshop, table)
    with _watch() as seen:  # the same sheet again changes nothing: nothing sent
        assert sheet_confirm(cast.zj_staff, again).status == "applied"
    assert seen["new"] == set()

    def run(n, tag):
        people = [(f"{tag}{n}-{i}", "华美服饰", "✓", "✓") for i in range(n)]
        job = sheet_preview(cast.zj_staff, workshop, sheet(people))
        assert sheet_confirm(cast.zj_staff, job).status == "applied"

    assert _handler_queries(run, 2) == _handler_queries(run, 8)
