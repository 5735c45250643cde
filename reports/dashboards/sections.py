"""The dashboard's sections beside the figures: provinces, the 12-month trend and what needs
attention. A fixed number of queries each."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.choices import PROVINCE_LABELS
from enterprises.models import Enterprise, KPIReading
from score_portal.access import scope
from score_portal.charts import data_uri, monthly_svg
from score_portal.figures_cache import cached_figures
from trainers.models import ConsultingVisit
from workshops.models import Attendance, Workshop

from .common import (
    ATTENTION_ROWS,
    BASELINE_STATUSES,
    _name,
    _url,
    year_bounds,
)


def province_rows(user, partner_ids: list[int], year: int, *, programme: bool) -> list[dict]:
    """Enterprises per province today and the participants of the year's held workshops,
    one query grouped by province."""
    start, end = year_bounds(year)
    held = Q(
        enrolments__participants__workshop__status=Workshop.Status.HELD,
        enrolments__participants__workshop__start_date__range=(start, end),
        enrolments__participants__workshop__partner_id__in=partner_ids,
    )
    participant = "enrolments__participants"

    def compute():
        return list(
            scope(user, Enterprise.objects.all())
            .filter(partner_id__in=partner_ids)
            .order_by()
            .values("province")
            .annotate(
                total=Count("id", distinct=True),
                active=Count("id", distinct=True, filter=Q(status="active")),
                completed=Count("id", distinct=True, filter=Q(status="completed")),
                participants=Count(participant, distinct=True, filter=held),
                women=Count(
                    participant,
                    distinct=True,
                    filter=held & Q(enrolments__participants__sex="F"),
                ),
            )
        )

    parts = (user.pk, sorted(partner_ids), year)
    rows = {row["province"]: row for row in cached_figures("provinces", parts, compute)}
    result = []
    for province, row in sorted(rows.items(), key=lambda item: (-item[1]["total"], item[0] or "")):
        # Programme managers' enterprise list has a partner filter: keep the selection.
        base = {
            "province": province,
            "partner": partner_ids[0] if programme and len(partner_ids) == 1 else None,
        }
        result.append(
            {
                **row,
                "label": PROVINCE_LABELS.get(province, province) or _("Not recorded"),
                "url": _url("enterprises:list", **base) if province else None,
                "active_url": _url("enterprises:list", status="active", **base)
                if province
                else None,
            }
        )
    return result


def _months(last: dt.date, count: int = 12) -> list[dt.date]:
    months = []
    year, month = last.year, last.month
    for _index in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def trend(user, partner_ids: list[int], year: int, today: dt.date) -> dict:
    """Workshops held, participants and visits recorded per month over the twelve months up
    to the end of the year (or to this month in the current year): three queries."""
    months = _months(min(today, year_bounds(year)[1]))
    first = months[0]
    following = _months(
        dt.date(months[-1].year, months[-1].month, 28) + dt.timedelta(days=7), count=1
    )[0]
    last = following - dt.timedelta(days=1)
    held = (
        scope(user, Workshop.objects.all())
        .filter(
            partner_id__in=partner_ids,
            status=Workshop.Status.HELD,
            start_date__range=(first, last),
        )
        .annotate(month=TruncMonth("start_date"))
        .order_by()
        .values("month")
        .annotate(
            workshops=Count("id", distinct=True),
            participants=Count("participants"),
            visits=Value(0),
        )
    )
    visits = (
        scope(user, ConsultingVisit.objects.all())
        .filter(
            enrolment__enterprise__partner_id__in=partner_ids,
            status=ConsultingVisit.Status.RECORDED,
            visit_date__range=(first, last),
        )
        .annotate(month=TruncMonth("visit_date"))
        .order_by()
        .values("month")
        .annotate(workshops=Value(0), participants=Value(0), visits=Count("id"))
    )

    def compute():
        counts: dict = {}
        for row in held.union(visits, all=True):  # one query
            month = counts.setdefault(_as_date(row["month"]), {"w": 0, "p": 0, "v": 0})
            month["w"] += row["workshops"]
            month["p"] += row["participants"]
            month["v"] += row["visits"]
        return counts

    counts = cached_figures("trend", (user.pk, sorted(partner_ids), first, last), compute)
    series = {
        _("Workshops held"): [counts.get(m, {}).get("w", 0) for m in months],
        _("Participants"): [counts.get(m, {}).get("p", 0) for m in months],
        _("Visits recorded"): [counts.get(m, {}).get("v", 0) for m in months],
    }
    labels = [f"{month:%Y-%m}" for month in months]
    svg = monthly_svg(labels, series, title=_("Last twelve months"))
    return {
        "months": labels,
        "series": series,
        "chart": data_uri(svg),
        "rows": [
            {"month": label, "values": [values[index] for values in series.values()]}
            for index, label in enumerate(labels)
        ],
    }


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- Needs attention (one partner) --------------------------------------------------------


def attention(user, partner_id: int, today: dt.date) -> dict:
    """What a partner's people should act on, each with its count and the first rows."""
    enterprises = scope(user, Enterprise.objects.all()).filter(partner_id=partner_id)
    baseline = KPIReading.objects.filter(enterprise=OuterRef("pk"), kind=KPIReading.Kind.BASELINE)
    no_baseline = (
        enterprises.filter(status__in=BASELINE_STATUSES).filter(~Exists(baseline)).order_by("name")
    )
    overdue = (
        scope(user, ConsultingVisit.objects.all())
        .filter(
            enrolment__enterprise__partner_id=partner_id,
            status=ConsultingVisit.Status.PLANNED,
            planned_date__lt=today,
        )
        .order_by("planned_date", "pk")
    )
    attendance = Attendance.objects.filter(participant__workshop=OuterRef("pk"))
    no_attendance = (
        scope(user, Workshop.objects.all())
        .filter(partner_id=partner_id, end_date__lt=today)
        .exclude(status=Workshop.Status.CANCELLED)
        .filter(~Exists(attendance))
        .order_by("-end_date", "pk")
    )
    unverified = scope(user, KPIReading.objects.all()).filter(
        enterprise__partner_id=partner_id, verified_at__isnull=True
    )
    return {
        "no_baseline": {
            "count": no_baseline.count(),
            "rows": [
                {"name": _name(row), "url": reverse("enterprises:kpi:overview", args=[row["pk"]])}
                for row in no_baseline.values("pk", "name", "name_zh")[:ATTENTION_ROWS]
            ],
            "url": _url("enterprises:list", status="active"),
        },
        "overdue_visits": {
            "count": overdue.count(),
            "rows": [
                {
                    "name": f"{_name(row, 'enrolment__enterprise__')} · "
                    f"{row['enrolment__module__code']} #{row['number']}",
                    "date": row["planned_date"],
                    "url": reverse("trainers:visits:detail", args=[row["pk"]]),
                }
                for row in overdue.values(
                    "pk",
                    "number",
                    "planned_date",
                    "enrolment__enterprise__name",
                    "enrolment__enterprise__name_zh",
                    "enrolment__module__code",
                )[:ATTENTION_ROWS]
            ],
        },
        "no_attendance": {
            "count": no_attendance.count(),
            "rows": [
                {
                    "name": row["title"],
                    "date": row["end_date"],
                    "url": reverse("workshops:attendance", args=[row["pk"]]),
                }
                for row in no_attendance.values("pk", "title", "end_date")[:ATTENTION_ROWS]
            ],
            "url": _url("workshops:list", when="past"),
        },
        "unverified": {
            "count": unverified.count(),
            "rows": [
                {
                    "name": f"{_name(row, 'enterprise__')} ({row['n']})",
                    "url": reverse("enterprises:kpi:overview", args=[row["enterprise_id"]]),
                }
                for row in (
                    unverified.order_by()
                    .values("enterprise_id", "enterprise__name", "enterprise__name_zh")
                    .annotate(n=Count("id"))
                    .order_by("-n", "enterprise__name")[:ATTENTION_ROWS]
                )
            ],
        },
    }


# --- The whole page -----------------------------------------------------------------------
