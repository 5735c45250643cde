"""Attendance sheets as partners keep them: a workshop's delegations and attendance.

The usual sheet has a title row or two, then a header row (序号, 姓名, 性别, 职务, 单位,
手机号码, one column per day — "3月5日", "2026-03-05", a real date, "第1天" — sometimes split
into 上午/下午), then one row per participant with ✓ / 迟到 / 请假 / 缺席 in the day columns.
``read_sheet`` maps such a table; ``preview`` checks every row against the workshop (the same
rules as the participant form: invited enterprises only, capacity, one person once) and says
what each row would do; ``apply`` writes it in one transaction. Files are read by the worker
only (``services.imports``), within the enterprise import's limits.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.transfer.columns import header_candidates, normalise
from enterprises.transfer.parsing import HEADER_SEARCH_ROWS, is_blank, is_example_row, to_text
from score_portal import events

from .models import Attendance, Participant, Workshop

MAX_SHEET_ROWS = 500  # a classroom, not a register: far above any workshop's capacity

# Header → column key. Matched after ``header_candidates`` (numbering, "(必填)", remarks in
# brackets and full-width forms do not matter).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "姓名", "名字", "学员姓名", "学员", "参会人", "参会人员", "参训人员", "参训人姓名",
        "name", "fullname", "participant", "participantname",
    ),
    "sex": ("性别", "sex", "gender"),
    "level": (
        "类别", "人员类别", "层级", "管理人员/员工", "管理/员工", "管理人员或员工", "管理或员工",
        "身份", "level", "managerorworker", "category", "managerworker",
    ),
    "position": (
        "职务", "职位", "岗位", "职称", "部门及职务", "部门职务", "position", "jobtitle", "title",
        "function",
    ),
    "enterprise": (
        "单位", "单位名称", "企业", "企业名称", "公司", "公司名称", "工作单位", "所在单位",
        "所在企业", "所属企业", "所属单位", "enterprise", "company", "companyname",
        "organisation", "organization", "factory",
    ),
    "credit_code": (
        "统一社会信用代码", "社会统一信用代码", "社会信用代码", "信用代码", "creditcode",
        "unifiedsocialcreditcode",
    ),
    "phone": (
        "手机号码", "手机号", "手机", "联系电话", "电话", "联系方式", "电话号码", "phone",
        "mobile", "mobilephone", "telephone", "tel",
    ),
}  # fmt: skip
IGNORED = ("序号", "编号", "no", "no.", "number", "#", "备注", "remarks", "签名", "signature")
LOOKUP = {normalise(alias): key for key, aliases in HEADERS.items() for alias in aliases}

PRESENT, LATE, EXCUSED, ABSENT = (status.value for status in Attendance.Status)
CELLS: dict[str, str] = {
    **dict.fromkeys(
        ("✓", "√", "✔", "☑", "1", "是", "出席", "到", "已到", "到场", "签到", "已签到", "在",
         "y", "yes", "present", "p", "attended", "ok", "○", "〇"),
        PRESENT,
    ),
    **dict.fromkeys(("迟到", "迟", "晚到", "late", "l"), LATE),
    **dict.fromkeys(
        ("请假", "事假", "病假", "公假", "假", "excused", "e", "leave"), EXCUSED
    ),
    **dict.fromkeys(
        ("×", "✗", "✘", "☒", "0", "否", "缺席", "缺勤", "未到", "旷课", "absent", "a", "n", "no",
         "-", "—", "/"),
        ABSENT,
    ),
}  # fmt: skip
SEXES = {
    **dict.fromkeys(("男", "男性", "m", "male", "man", "先生"), Participant.Sex.MALE.value),
    **dict.fromkeys(("女", "女性", "f", "female", "woman", "女士"), Participant.Sex.FEMALE.value),
}
LEVELS = {
    **dict.fromkeys(
        ("管理人员", "管理者", "管理层", "管理", "经理", "主管", "manager", "management", "mgr"),
        Participant.Level.MANAGER.value,
    ),
    **dict.fromkeys(
        ("员工", "工人", "一线员工", "职工", "普通员工", "工人代表", "员工代表", "worker",
         "employee", "staff", "operator"),
        Participant.Level.WORKER.value,
    ),
}  # fmt: skip
# Positions that make a person a manager when the sheet has no manager/worker column:
# SCORE counts supervisors (班组长) with the managers.
_MANAGER_WORDS = re.compile(
    r"经理|主管|总监|厂长|主任|部长|董事|总裁|老板|总经理|副总|总工|科长|处长|组长|班长|"
    r"负责人|管理|\b(?:manager|director|supervisor|head|chief|ceo|owner|lead|foreman)\b",
    re.IGNORECASE,
)
_HALF_DAY = re.compile(r"\s*(?:上午|下午|晚上|全天|am|pm|morning|afternoon)\s*$", re.IGNORECASE)
_WEEKDAY = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]|(?:星期|周)[一二三四五六日天]")
_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_CN_NUMBERS = {c: n for n, c in enumerate("一二三四五六七八九十", start=1)}
_NTH_DAY = re.compile(r"^(?:第\s*([一二三四五六七八九十]|\d{1,2})\s*天|day\s*(\d{1,2}))$", re.I)


@dataclass
class Sheet:
    """A table read as an attendance sheet: its columns, day columns and rows."""

    columns: dict[str, int] = field(default_factory=dict)  # key → column index
    days: dict[int, datetime.date] = field(default_factory=dict)  # column index → day
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number, cells)
    ignored: list[str] = field(default_factory=list)  # headers neither known nor days
    errors: list[str] = field(default_factory=list)  # file-level: nothing can be imported


def day_of_header(title, workshop: Workshop) -> datetime.date | None | bool:
    """The workshop day a header names (a date, "3月5日", "3/5", "第1天", "Day 2", each
    possibly with a weekday or 上午/下午), None when it names no day, False when it names a
    date that is not one of the workshop's days."""
    if isinstance(title, datetime.datetime):
        day = title.date()
    elif isinstance(title, datetime.date):
        day = title
    else:
        text = unicodedata.normalize("NFKC", str(title)).strip()
        text = _HALF_DAY.sub("", _WEEKDAY.sub("", text)).strip()
        if match := _FULL_DATE.match(text):
            parts = tuple(int(p) for p in match.groups())
        elif match := _MONTH_DAY.match(text):
            parts = (workshop.start_date.year, int(match[1]), int(match[2]))
        elif match := _NTH_DAY.match(text):
            raw = match[1] or match[2]
            nth = _CN_NUMBERS.get(raw) or int(raw)
            days = workshop.days
            return days[nth - 1] if 1 <= nth <= len(days) else False
        else:
            return None
        try:
            day = datetime.date(*parts)
        except ValueError:
            return None
    return day if day in workshop.days else False


def read_sheet(table: list[list], workshop: Workshop) -> Sheet:
    """Find the header row (below any title rows) and map its columns."""
    sheet = Sheet()
    header_at = None
    for index, values in enumerate(table[:HEADER_SEARCH_ROWS]):
        keys = {_key(value) for value in values if not is_blank(value)}
        if "name" in keys and len(keys - {None}) >= 2:
            header_at = index
            break
    if header_at is None:
        sheet.errors.append(
            _(
                "No header row found: the sheet needs a column 姓名 (name) and at least one "
                "of 性别, 职务, 单位, 手机号码 in the same row."
            )
        )
        return sheet
    outside = []
    for column, title in enumerate(table[header_at]):
        if is_blank(title):
            continue
        key = _key(title)
        if key and key not in sheet.columns:
            sheet.columns[key] = column
            continue
        day = day_of_header(title, workshop)
        if day:
            sheet.days[column] = day
        elif day is False:
            outside.append(to_text(title))
        elif not _ignored(title):
            sheet.ignored.append(to_text(title))
    if outside:
        sheet.errors.append(
            _(
                "These columns name days that are not days of this workshop "
                "(%(first)s to %(last)s): %(columns)s."
            )
            % {
                "first": workshop.start_date.isoformat(),
                "last": workshop.end_date.isoformat(),
                "columns": ", ".join(outside),
            }
        )
    for offset, values in enumerate(table[header_at + 1 :], start=header_at + 2):
        name = _cell(values, sheet.columns.get("name"))
        if all(is_blank(v) for v in values) or is_example_row(values, name):
            continue
        sheet.rows.append((offset, list(values)))
    if len(sheet.rows) > MAX_SHEET_ROWS:
        sheet.errors.append(
            _("The sheet has more than %(rows)d rows: is it an attendance sheet?")
            % {"rows": MAX_SHEET_ROWS}
        )
    elif not sheet.rows and not sheet.errors:
        sheet.errors.append(_("The sheet has a header row but no participants below it."))
    return sheet


def _key(title) -> str | None:
    for candidate in header_candidates(title):
        if candidate in LOOKUP:
            return LOOKUP[candidate]
    return None


def _ignored(title) -> bool:
    return any(candidate in IGNORED for candidate in header_candidates(title))


def _cell(values: list, column: int | None) -> Any:
    if column is None or column >= len(values):
        return None
    return values[column]


def _text(values: list, column: int | None) -> str:
    value = _cell(values, column)
    return "" if is_blank(value) else to_text(value)


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def _phone(raw: str) -> str:
    """Keep what a person typed, without Excel's float ('13800138000.0') and invisible
    characters."""
    text = unicodedata.normalize("NFKC", raw).strip()
    return text[:40]


def _attendance(raw) -> str | None:
    if is_blank(raw):
        return ABSENT
    if isinstance(raw, bool):
        return PRESENT if raw else ABSENT
    return CELLS.get(normalise(to_text(raw)))


# --- Preview and apply ----------------------------------------------------------------------


@dataclass
class Outcome:
    number: int
    name: str = ""
    enterprise: str = ""
    enrolment_id: int | None = None
    sex: str = ""
    level: str = ""
    position: str = ""
    phone: str = ""
    days: dict[str, str] = field(default_factory=dict)  # ISO day → attendance status
    outcome: str = "new"  # new, update, unchanged, error
    participant_id: int | None = None
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "name": self.name,
            "enterprise": self.enterprise,
            "enrolment_id": self.enrolment_id,
            "sex": self.sex,
            "level": self.level,
            "position": self.position,
            "phone": self.phone,
            "days": self.days,
            "outcome": self.outcome,
            "errors": self.errors,
            "changes": self.changes,
        }


class _Enterprises:
    """The workshop's invited enterprises, found by name (English or Chinese, exact or
    unambiguously contained: "华美服饰" for "宁波华美服饰有限公司") or by credit code."""

    def __init__(self, workshop: Workshop):
        self.enrolments = list(workshop.invitations.select_related("enterprise"))
        self.by_name: dict[str, Any] = {}
        self.by_code: dict[str, Any] = {}
        for enrolment in self.enrolments:
            enterprise = enrolment.enterprise
            for name in (enterprise.name, enterprise.name_zh):
                if name:
                    self.by_name.setdefault(normalise(name), enrolment)
            if enterprise.credit_code:
                self.by_code[enterprise.credit_code.upper()] = enrolment

    def find(self, name: str, code: str):
        if code:
            return self.by_code.get(normalise(code).upper())
        if not name:
            return self.enrolments[0] if len(self.enrolments) == 1 else None
        key = normalise(name)
        if key in self.by_name:
            return self.by_name[key]
        near = {
            e.pk: e for n, e in self.by_name.items() if len(key) >= 2 and (key in n or n in key)
        }
        return next(iter(near.values())) if len(near) == 1 else None

    def names(self) -> str:
        shown = [e.enterprise.display_name for e in self.enrolments[:10]]
        return "、".join(shown) + ("…" if len(self.enrolments) > 10 else "")


def preview(
    table: list[list], workshop: Workshop, progress: Callable[[int], None] | None = None
) -> dict:
    """What importing ``table`` into ``workshop`` would do, row by row, without writing."""
    sheet = read_sheet(table, workshop)
    result: dict[str, Any] = {
        "file_errors": list(sheet.errors),
        "ignored_headers": sheet.ignored,
        "days": sorted({day.isoformat() for day in sheet.days.values()}),
        "rows": [],
        "counts": {"new": 0, "update": 0, "unchanged": 0, "error": 0},
    }
    if workshop.status == Workshop.Status.CANCELLED:
        result["file_errors"].append(_("This workshop was cancelled."))
    enterprises = _Enterprises(workshop)
    if not enterprises.enrolments:
        result["file_errors"].append(
            _("No enterprise is invited to this workshop yet: invite them first.")
        )
    no_column = "enterprise" not in sheet.columns and "credit_code" not in sheet.columns
    if no_column and len(enterprises.enrolments) > 1:
        result["file_errors"].append(
            _(
                "The sheet has no column 单位 (enterprise) and several enterprises are "
                "invited: add the column."
            )
        )
    if result["file_errors"]:
        return result
    existing = list(workshop.participants.all())
    seen: dict[tuple, int] = {}
    places = workshop.capacity - len(existing)
    today = datetime.date.today()
    outcomes = []
    for index, (number, values) in enumerate(sheet.rows):
        outcome = _row(sheet, values, number, enterprises, existing, today)
        key = (outcome.enrolment_id, normalise(outcome.name), _digits(outcome.phone))
        if outcome.enrolment_id and outcome.name:
            if key in seen:
                outcome.errors.append(
                    _("This person is already on row %(row)d.") % {"row": seen[key]}
                )
            seen.setdefault(key, number)
        if not outcome.errors and outcome.outcome == "new":
            if places <= 0:
                outcome.errors.append(
                    _("The workshop is full (capacity %(capacity)d).")
                    % {"capacity": workshop.capacity}
                )
            places -= 1
        if outcome.errors:
            outcome.outcome = "error"
        result["counts"][outcome.outcome] += 1
        outcomes.append(outcome)
        if progress and index % 20 == 0:
            progress(int(90 * index / max(len(sheet.rows), 1)))
    result["rows"] = [o.as_dict() for o in outcomes]
    result["_outcomes"] = outcomes  # for apply, not stored
    return result


def _row(sheet: Sheet, values, number, enterprises: _Enterprises, existing, today) -> Outcome:
    col = sheet.columns
    outcome = Outcome(
        number=number,
        name=_text(values, col.get("name"))[:100],
        position=_text(values, col.get("position"))[:100],
        phone=_phone(_text(values, col.get("phone"))),
    )
    if not outcome.name:
        outcome.errors.append(_("The name (姓名) is missing."))
    raw_sex = _text(values, col.get("sex"))
    outcome.sex = SEXES.get(normalise(raw_sex), "")
    if not outcome.sex:
        outcome.errors.append(
            _("Sex: %(value)s is not one of 男, 女, M, F.") % {"value": raw_sex or "—"}
            if raw_sex
            else _("Sex (性别) is missing: write 男 or 女 (M or F).")
        )
    raw_level = _text(values, col.get("level"))
    outcome.level = LEVELS.get(normalise(raw_level), "")
    if raw_level and not outcome.level:
        outcome.errors.append(
            _("Manager or worker: %(value)s is not one of 管理人员, 员工, manager, worker.")
            % {"value": raw_level}
        )
    elif not raw_level and outcome.position:
        manager = bool(_MANAGER_WORDS.search(outcome.position))
        outcome.level = (Participant.Level.MANAGER if manager else Participant.Level.WORKER).value
    elif not raw_level:
        outcome.errors.append(
            _("Say whether this person is a manager or a worker (column 类别 or 职务).")
        )
    name = _text(values, col.get("enterprise"))
    code = _text(values, col.get("credit_code"))
    enrolment = enterprises.find(name, code)
    if enrolment is None:
        outcome.enterprise = name or code
        outcome.errors.append(
            _(
                "%(enterprise)s is not among the enterprises invited to this workshop "
                "(%(invited)s): invite it first or correct the name."
            )
            % {"enterprise": name or code or "—", "invited": enterprises.names()}
        )
    else:
        outcome.enrolment_id = enrolment.pk
        outcome.enterprise = enrolment.enterprise.display_name
    for column, day in sorted(sheet.days.items(), key=lambda item: item[1]):
        raw = _cell(values, column)
        status = _attendance(raw)
        if status is None:
            outcome.errors.append(
                _("%(day)s: %(value)s is not an attendance mark (use ✓ or 出席, 迟到, 请假, 缺席).")
                % {"day": day.isoformat(), "value": to_text(raw)}
            )
            continue
        if day > today and status != ABSENT:
            outcome.errors.append(
                _("%(day)s has not come yet: attendance is recorded on or after the day.")
                % {"day": day.isoformat()}
            )
            continue
        if day > today:
            continue
        iso = day.isoformat()
        # Half days (上午 / 下午) of one day: attended if either half was attended.
        outcome.days[iso] = _combine(outcome.days.get(iso), status)
    _match(outcome, existing)
    return outcome


_RANK = {PRESENT: 3, LATE: 2, EXCUSED: 1, ABSENT: 0}


def _combine(before: str | None, status: str) -> str:
    if before is None:
        return status
    return max(before, status, key=_RANK.__getitem__)


def _match(outcome: Outcome, existing: list[Participant]) -> None:
    """new, update or unchanged against the workshop's participants (same enterprise and
    name, and the same phone where two share a name)."""
    if outcome.enrolment_id is None or not outcome.name:
        return
    same = [
        p
        for p in existing
        if p.enrolment_id == outcome.enrolment_id and normalise(p.name) == normalise(outcome.name)
    ]
    if len(same) > 1 and outcome.phone:
        same = [p for p in same if _digits(p.phone) == _digits(outcome.phone)] or same
    if not same:
        return
    person = same[0]
    outcome.participant_id = person.pk
    changes = []
    for attr in ("sex", "level", "position", "phone"):
        new = getattr(outcome, attr)
        if new and new != getattr(person, attr):
            changes.append(attr)
    outcome.changes = changes
    outcome.outcome = "update" if changes else "unchanged"


def apply(*, acting_user, workshop: Workshop, table: list[list], progress=None) -> dict:
    """Write a previewed sheet: participants added or corrected, and the attendance of the
    sheet's days for its people (other cells and other participants stay as they are). One
    transaction; any row in error (the data may have changed since the preview) writes
    nothing and raises ``ValidationError`` with the outcomes in ``result``."""
    from .services.participants import attendance_record, participant_save

    # one transaction; the participants' events handed over together, once per event
    with transaction.atomic(), events.batched():
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
        result = preview(table, workshop, progress)
        outcomes: list[Outcome] = result.pop("_outcomes", [])
        if result["file_errors"] or result["counts"]["error"]:
            raise SheetRejected(result)
        enrolments = {e.pk: e for e in workshop.invitations.all()}
        statuses: dict[tuple[int, datetime.date], str] = {}
        for outcome in outcomes:
            data = {
                "name": outcome.name,
                "sex": outcome.sex,
                "level": outcome.level,
                "position": outcome.position,
                "phone": outcome.phone,
            }
            if outcome.outcome == "new":
                person = participant_save(
                    acting_user=acting_user,
                    workshop=workshop,
                    enrolment=enrolments[outcome.enrolment_id],
                    **data,
                )
            else:
                person = Participant.objects.get(pk=outcome.participant_id)
                if outcome.outcome == "update":
                    keep = {k: v for k, v in data.items() if v or k == "name"}
                    participant_save(
                        acting_user=acting_user,
                        workshop=workshop,
                        participant=person,
                        **{**_fields(person), **keep},
                    )
            for iso, status in outcome.days.items():
                statuses[(person.pk, datetime.date.fromisoformat(iso))] = status
        if statuses:
            attendance_record(
                acting_user=acting_user,
                workshop=workshop,
                statuses=statuses,
                only={pid for pid, _day in statuses},
                days={day for _pid, day in statuses},
            )
        return result


def _fields(person: Participant) -> dict:
    return {
        "name": person.name,
        "sex": person.sex,
        "level": person.level,
        "position": person.position,
        "phone": person.phone,
    }


class SheetRejected(ValidationError):
    """The sheet (or a row of it) cannot be applied; ``result`` holds the outcomes."""

    def __init__(self, result: dict):
        super().__init__(_("Some rows cannot be imported any more: nothing was imported."))
        self.result = result
