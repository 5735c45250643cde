"""Reads for KPIs: an enterprise's KPI table with data-quality flags, and the programme
figures (improvement shares, savings, data coverage) that pages and reports share."""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from catalogue.models import KPIDefinition
from score_portal.access import Perm, scope

from ..models import (
    Enrolment,
    Enterprise,
    ImprovementProject,
    KPILatest,
    KPIReading,
    percent_change,
)

FAR_FROM_BASELINE = Decimal(80)  # percent
HEADLINES = {
    "cost": _("Cost savings"),
    "defects": _("Fewer defects"),
    "energy": _("Energy savings"),
    "waste": _("Less waste"),
    "accidents": _("Fewer accidents"),
}


@dataclass
class KPIRow:
    kpi: KPIDefinition
    baseline: KPIReading | None = None
    follow_ups: list[KPIReading] = field(default_factory=list)
    change: Decimal | None = None
    improved: bool | None = None
    flags: dict[int, list[str]] = field(default_factory=dict)  # reading id → flags

    @property
    def latest(self) -> KPIReading | None:
        return self.follow_ups[-1] if self.follow_ups else None

    @property
    def readings(self) -> list[KPIReading]:
        return ([self.baseline] if self.baseline else []) + self.follow_ups


def reading_flags(
    reading: KPIReading, baseline: KPIReading | None, others: list[KPIReading]
) -> list[str]:
    """Data-quality flags of one reading (translated, for display)."""
    flags = []
    kpi = reading.kpi
    if (kpi.plausible_min is not None and reading.value < kpi.plausible_min) or (
        kpi.plausible_max is not None and reading.value > kpi.plausible_max
    ):
        flags.append(str(_("outside the plausible range")))
    if reading.kind == KPIReading.Kind.FOLLOW_UP:
        if baseline is None:
            flags.append(str(_("no baseline")))
        else:
            change, _improved = percent_change(baseline.value, reading.value, kpi.direction)
            if change is not None and abs(change) > FAR_FROM_BASELINE:
                flags.append(
                    str(_("more than %(limit)s%% from the baseline") % {"limit": FAR_FROM_BASELINE})
                )
    for other in others:
        if (
            other.pk != reading.pk
            and other.kind == reading.kind
            and other.period_start <= reading.period_end
            and reading.period_start <= other.period_end
        ):
            flags.append(str(_("period overlaps another reading")))
            break
    return flags


def kpi_table(enterprise: Enterprise) -> list[KPIRow]:
    """One row per KPI with readings: baseline, follow-ups in time order, change of the latest
    against the baseline, and flags per reading. Two queries."""
    readings = list(
        enterprise.kpi_readings.select_related(
            "kpi", "recorded_by", "verified_by", "returned_by"
        ).order_by("kpi__order", "kpi_id", "period_end", "pk")
    )
    rows: dict[int, KPIRow] = {}
    for reading in readings:
        row = rows.setdefault(reading.kpi_id, KPIRow(kpi=reading.kpi))
        if reading.kind == KPIReading.Kind.BASELINE:
            row.baseline = reading
        else:
            row.follow_ups.append(reading)
    for row in rows.values():
        if row.baseline and row.latest:
            row.change, row.improved = percent_change(
                row.baseline.value, row.latest.value, row.kpi.direction
            )
        for reading in row.readings:
            row.flags[reading.pk] = reading_flags(reading, row.baseline, row.readings)
    return list(rows.values())


def _improved(baseline: str, latest: str) -> Case:
    """1 when ``latest`` improves on ``baseline`` given the KPI's direction, else 0."""
    return Case(
        When(
            Q(kpi__direction="up", **{f"{latest}__gt": F(baseline)})
            | Q(kpi__direction="down", **{f"{latest}__lt": F(baseline)}),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def _latest_pairs(enterprises: QuerySet) -> QuerySet:
    """KPILatest rows of these enterprises with a baseline and a follow-up, with ``improved``
    (1/0): a plain join, no correlated subquery."""
    return (
        KPILatest.objects.filter(
            enterprise__in=enterprises.order_by().values("pk"),
            baseline__isnull=False,
            latest__isnull=False,
        )
        .order_by()
        .annotate(improved=_improved("baseline_value", "latest_value"))
    )


def kpi_latest_rows(*, improved: bool | None = None, followed_up: bool = True) -> QuerySet:
    """The materialised KPILatest rows of every enterprise: with a baseline, and (by default)
    a follow-up; ``improved`` keeps the rows that improved (True) or did not (False). For
    uncorrelated ``enterprise_id IN (...)`` conditions in grouped figures."""
    rows = KPILatest.objects.filter(baseline__isnull=False).order_by()
    if followed_up:
        rows = rows.filter(latest__isnull=False)
    if improved is not None:
        rows = rows.annotate(improved=_improved("baseline_value", "latest_value")).filter(
            improved=1 if improved else 0
        )
    return rows


def _pairs(enterprises: QuerySet) -> QuerySet:
    """Baseline readings of these enterprises with their latest follow-up value (``latest``)
    and whether it improved (``improved``, respecting the KPI's direction), read from the
    materialised KPILatest by a join."""
    return (
        KPIReading.objects.filter(
            kind=KPIReading.Kind.BASELINE,
            enterprise__in=enterprises.order_by().values("pk"),
            latest_pair__latest__isnull=False,
        )
        .annotate(latest=F("latest_pair__latest_value"))
        .annotate(improved=_improved("value", "latest"))
    )


def _coverage(enterprises: QuerySet) -> tuple[QuerySet, Q]:
    """Trained enterprises (an enrolment in consulting or completed), and the condition that
    one is covered: a baseline and a follow-up recorded (any KPI). Uncorrelated subqueries
    on KPILatest (the condition goes into the aggregate's filter itself: an annotation
    referred to there is not selected by a plain aggregate)."""
    with_baseline = KPILatest.objects.filter(baseline__isnull=False).values("enterprise_id")
    with_follow_up = KPILatest.objects.filter(latest__isnull=False).values("enterprise_id")
    trained = Enterprise.objects.filter(
        pk__in=enterprises.filter(enrolments__status__in=Enrolment.TRAINED_STATUSES)
        .order_by()
        .values("pk")
    )
    return trained, Q(pk__in=with_baseline) & Q(pk__in=with_follow_up)


def programme_figures(user, *, partner_ids=None, enterprises: QuerySet | None = None) -> dict:
    """Headline results over the enterprises the user may see (optionally some partners):

    * share of enterprises with at least one improved KPI, among those reporting a baseline
      and a follow-up; the same per headline group (cost, defects, energy, waste, accidents);
    * total and median realised savings per enterprise (completed improvement projects);
    * data coverage: share of trained enterprises (enrolment in consulting or completed) with
      a baseline and at least one follow-up.
    """
    if enterprises is None:
        enterprises = scope(user, Enterprise.objects.all(), Perm.VIEW)
        if partner_ids is not None:
            enterprises = enterprises.filter(partner_id__in=partner_ids)
    pairs = _latest_pairs(enterprises)
    overall = pairs.aggregate(
        reporting=Count("enterprise", distinct=True),
        improving=Count("enterprise", distinct=True, filter=Q(improved=1)),
    )
    by_group = {
        row["kpi__headline"]: row
        for row in pairs.exclude(kpi__headline="")
        .values("kpi__headline")
        .annotate(
            reporting=Count("enterprise", distinct=True),
            improving=Count("enterprise", distinct=True, filter=Q(improved=1)),
        )
    }
    headline = []
    for code, label in HEADLINES.items():
        row = by_group.get(code, {"reporting": 0, "improving": 0})
        headline.append(
            {
                "code": code,
                "label": label,
                "reporting": row["reporting"],
                "improving": row["improving"],
                "share": _share(row["improving"], row["reporting"]),
            }
        )
    savings = list(
        ImprovementProject.objects.filter(
            enterprise__in=enterprises,
            status=ImprovementProject.Status.COMPLETED,
            realised_saving__isnull=False,
        )
        .values("enterprise")
        .annotate(total=Sum("realised_saving"))
        .values_list("total", flat=True)
    )
    trained, covered = _coverage(enterprises)
    coverage = trained.aggregate(trained=Count("pk"), covered=Count("pk", filter=covered))
    return {
        "reporting": overall["reporting"],
        "improving": overall["improving"],
        "improving_share": _share(overall["improving"], overall["reporting"]),
        "headline": headline,
        "savings_total": sum(savings, Decimal(0)),
        "savings_median": statistics.median(savings) if savings else None,
        "savings_enterprises": len(savings),
        "trained": coverage["trained"],
        "covered": coverage["covered"],
        "coverage_share": _share(coverage["covered"], coverage["trained"]),
    }


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def enterprises_missing_kpis(enterprises: QuerySet) -> QuerySet:
    """Trained enterprises without a baseline, or with a baseline but no follow-up."""
    baseline = KPILatest.objects.filter(enterprise=OuterRef("pk"), baseline__isnull=False)
    follow_up = KPILatest.objects.filter(enterprise=OuterRef("pk"), latest__isnull=False)
    return enterprises.annotate(
        has_baseline=Exists(baseline), has_follow_up=Exists(follow_up)
    ).filter(Q(has_baseline=False) | Q(has_follow_up=False))


def improvement_pairs(enterprises: QuerySet) -> QuerySet:
    """Baselines with their latest follow-up and ``improved`` (1/0): for per-KPI tables."""
    return _pairs(enterprises)


def kpi_figures_by_partner(enterprises: QuerySet) -> dict[int, dict]:
    """The headline figures of ``programme_figures`` (improvement share, realised savings,
    data coverage) per partner of these enterprises, with the same definitions, grouped in
    the database: three queries whatever the number of partners or enterprises."""
    figures: dict[int, dict] = {}

    def item(partner_id):
        return figures.setdefault(
            partner_id,
            {
                "reporting": 0,
                "improving": 0,
                "improving_share": None,
                "savings_total": Decimal(0),
                "savings_median": None,
                "savings_enterprises": 0,
                "trained": 0,
                "covered": 0,
                "coverage_share": None,
            },
        )

    for row in (
        _latest_pairs(enterprises)
        .values("enterprise__partner_id")
        .annotate(
            reporting=Count("enterprise", distinct=True),
            improving=Count("enterprise", distinct=True, filter=Q(improved=1)),
        )
    ):
        item(row["enterprise__partner_id"]).update(
            reporting=row["reporting"],
            improving=row["improving"],
            improving_share=_share(row["improving"], row["reporting"]),
        )
    savings: dict[int, list[Decimal]] = {}
    for partner_id, total in (
        ImprovementProject.objects.filter(
            enterprise__in=enterprises,
            status=ImprovementProject.Status.COMPLETED,
            realised_saving__isnull=False,
        )
        .order_by()
        .values("enterprise", "enterprise__partner_id")
        .annotate(total=Sum("realised_saving"))
        .values_list("enterprise__partner_id", "total")
    ):
        savings.setdefault(partner_id, []).append(total)
    for partner_id, totals in savings.items():
        item(partner_id).update(
            savings_total=sum(totals, Decimal(0)),
            savings_median=statistics.median(totals),
            savings_enterprises=len(totals),
        )
    trained, covered = _coverage(enterprises)
    for row in (
        trained.order_by()
        .values("partner_id")
        .annotate(trained=Count("pk"), covered=Count("pk", filter=covered))
    ):
        item(row["partner_id"]).update(
            trained=row["trained"],
            covered=row["covered"],
            coverage_share=_share(row["covered"], row["trained"]),
        )
    return figures
