"""The one piece of code computing each indicator of the register.

``indicator_values(user, codes, partner_ids=..., period_from=..., period_to=..., by=...)``
returns ``{code: {key: value}}``: ``key`` is ``"all"`` without ``by``, else a partner id,
a module id, an enterprise id or a currency. ``enterprise_ids`` (a list or a queryset of
ids: an enterprise group's) narrows the enterprise-level figures to those enterprises; the
workshop and trainer figures belong to partners, not enterprises, and refuse it.
Figures are computed in a few queries grouped in the database
(by partner, and by module where asked), one query per family of figures needed, whatever
the number of partners; only medians are taken in Python over per-enterprise rows.
Values: counts are ``int``; shares ``Decimal`` fractions (0–1) or ``None`` when there is
nothing to divide; money ``{currency: Decimal}``; ratios ``Decimal`` or ``None``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.utils import timezone

from enterprises.models import (
    Assessment,
    AssessmentAnswer,
    EITMember,
    Enrolment,
    Enterprise,
    ImprovementProject,
    KPILatest,
    SuggestionCount,
)
from enterprises.selectors import eit_active_q
from enterprises.selectors.assessments import adopted_keys
from enterprises.selectors.enrolments import in_programme_currency
from enterprises.selectors.kpi import improvement_pairs, kpi_latest_rows
from score_portal.access import scope
from score_portal.figures_cache import cached_figures
from trainers.models import Certification, ConsultingVisit, Trainer
from trainers.selectors import active_recently_q
from workshops.models import EvaluationResponse, Workshop
from workshops.selectors import overall_answers, satisfied_q

from .definitions import CODES, FAMILIES, MONEY, PERCENT, RATIO, REGISTER
from .periods import enrolments_meeting, in_period, overlaps

ALL = "all"
BY_MODULE = ("module", "partner_module")
ENROLLED_STATUSES = [
    Enrolment.Status.ENROLLED,
    Enrolment.Status.IN_TRAINING,
    Enrolment.Status.IN_CONSULTING,
    Enrolment.Status.COMPLETED,
]


class Period:
    """What a computation needs: the user's scope, the partners and the period."""

    def __init__(
        self, user, partner_ids, period_from, period_to, today, modules=(), enterprise_ids=None
    ):
        self.user = user
        self.enterprise_ids = (
            list(enterprise_ids)
            if enterprise_ids is not None and not isinstance(enterprise_ids, QuerySet)
            else enterprise_ids
        )
        self.modules = list(modules)
        # A list of ids or a queryset of partners' ids (then a subquery, no extra query).
        self.partner_ids = (
            list(partner_ids)
            if partner_ids is not None and not isinstance(partner_ids, QuerySet)
            else partner_ids
        )
        self.period_from, self.period_to = period_from, period_to
        self.today = today or timezone.localdate()
        self.on = period_to or self.today  # the "as of" date
        self.enterprise_fields: list[str] | None = None  # None: every enterprise figure

    def qs(self, model, partner_path: str):
        # ``user=None``: internal callers (the report builders) that checked access already.
        queryset = model.objects.all()
        if self.user is not None:
            queryset = scope(self.user, queryset)
        if self.partner_ids is not None:
            queryset = queryset.filter(**{f"{partner_path}__in": self.partner_ids})
        if self.enterprise_ids is not None:
            if model is Enterprise:
                queryset = queryset.filter(pk__in=self.enterprise_ids)
            elif partner_path.endswith("enterprise__partner_id"):
                path = partner_path.removesuffix("__partner_id")
                queryset = queryset.filter(**{f"{path}__in": self.enterprise_ids})
            else:
                raise ValueError(f"{model.__name__} figures cannot be narrowed to enterprises.")
        return queryset

    def enrolments(self):
        return self.qs(Enrolment, "enterprise__partner_id").filter(
            enrolments_meeting(self.period_from, self.period_to)
        )

    def reached(self):
        """Enterprises reached in the period (an enrolment meeting it)."""
        return self.qs(Enterprise, "partner_id").filter(
            pk__in=self.enrolments().values("enterprise_id")
        )

    def projects(self):
        projects = ImprovementProject.objects.filter(enterprise__in=self.reached())
        if self.period_from or self.period_to:
            projects = projects.filter(
                overlaps(self.period_from, self.period_to, start="start_date", ends=("end_date",))
            )
        return projects


# --- Families: one query each, rows keyed by (partner_id, module_id or None) --------------


def _field(partner_field: str, by) -> str:
    """The column a family groups on: the partner's id, or with ``by="enterprise"`` the
    enterprise's id along the same path."""
    if by != "enterprise":
        return partner_field
    if partner_field == "partner_id":  # the enterprise itself
        return "id"
    return partner_field.removesuffix("__partner_id") + "_id"


def _key(partner_id, module_id, by):
    if by == "partner_module":
        return (partner_id, module_id)
    if by in ("partner", "enterprise"):
        return partner_id
    if by == "module":
        return module_id
    return ALL


def _add(target: dict, key, row: dict):
    bucket = target.setdefault(key, defaultdict(lambda: Decimal(0)))
    for name, value in row.items():
        bucket[name] += value or 0


def _enrolment_family(p: Period, by) -> dict:
    field = _field("enterprise__partner_id", by)
    groups = [field] + (["module_id"] if by in BY_MODULE else [])
    currency = in_programme_currency()
    non_ilo_fields = ("paid_enterprise", "paid_sponsor", "paid_government")
    counts = {
        "reached": Q(),
        "enrolled": Q(status__in=ENROLLED_STATUSES),
        "trained": Q(status__in=Enrolment.TRAINED_STATUSES),
    }
    aggregates = {
        name: Count("enterprise_id", distinct=True, filter=condition)
        for name, condition in counts.items()
    }
    # The same counts per module in the same query (``modules=``), keyed "name__module".
    for module_id in p.modules:
        for name, condition in counts.items():
            aggregates[f"{name}__{module_id}"] = Count(
                "enterprise_id", distinct=True, filter=condition & Q(module_id=module_id)
            )
    aggregates |= {f: Sum(f, filter=currency) for f in (*non_ilo_fields, "paid_ilo")}  # type: ignore[misc]
    out: dict = {}
    for row in p.enrolments().order_by().values(*groups).annotate(**aggregates):
        key = _key(row.pop(field), row.pop("module_id", None), by)
        non_ilo = sum((row.pop(f) or Decimal(0) for f in non_ilo_fields), Decimal(0))
        ilo = row.pop("paid_ilo") or Decimal(0)
        _add(out, key, {**row, "non_ilo": non_ilo, "paid": non_ilo + ilo})
    return out


def _enterprise_family(p: Period, by) -> dict:
    """Current standing and the reached enterprises' jobs and KPI data coverage. One query;
    each condition is an uncorrelated ``IN`` subquery (PostgreSQL hashes it once), not an
    ``EXISTS`` run per enterprise."""
    meeting = Enrolment.objects.filter(enrolments_meeting(p.period_from, p.period_to))

    def among(queryset) -> Q:
        return Q(pk__in=queryset.order_by().values("enterprise_id"))

    reached = among(meeting)
    trained = among(meeting.filter(status__in=Enrolment.TRAINED_STATUSES))
    # baselines and follow-ups from the materialised latest follow-up per enterprise and KPI
    has_baseline = among(kpi_latest_rows(followed_up=False))
    has_follow_up = among(KPILatest.objects.filter(latest__isnull=False))
    aggregates = {
        "registered": Count("id"),
        **{
            f"status_{status}": Count("id", filter=Q(status=status))
            for status in Enterprise.Status.values
        },
        "reporting": Count("id", filter=reached & among(kpi_latest_rows())),
        "improving": Count("id", filter=reached & among(kpi_latest_rows(improved=True))),
        "jobs": Sum("employees_total", filter=reached),
        "jobs_women": Sum("employees_women", filter=reached),
        "coverage_trained": Count("id", filter=trained),
        "covered": Count("id", filter=trained & has_baseline & has_follow_up),
    }
    if p.enterprise_fields is not None:  # only what the asked indicators read
        aggregates = {name: aggregates[name] for name in p.enterprise_fields}
    out: dict = {}
    field = _field("partner_id", by)
    for row in p.qs(Enterprise, "partner_id").order_by().values(field).annotate(**aggregates):
        _add(out, _key(row.pop(field), None, by), row)
    return out


WORKSHOP_FIGURES = (
    ("held", None),
    ("participants_total", Q(participants__isnull=False)),
    ("participants_women", Q(participants__sex="F")),
    ("participants_men", Q(participants__sex="M")),
    ("participants_managers", Q(participants__level="manager")),
    ("participants_workers", Q(participants__level="worker")),
)
VISIT_FIGURES = ("done", "planned", "planned_done", "overdue")


def _workshop_rows(p: Period, by, *, padded: bool = False):
    """Held workshops and their participants per partner (and module): workshops without
    participants count too. ``padded``: with zero columns for the visits' figures, to be
    united with ``_visit_rows``."""
    groups = ["partner_id"] + (["module_id"] if by in BY_MODULE else [])
    aggregates = {
        name: Count("id", distinct=True)
        if condition is None
        else Count("participants", filter=condition)
        for name, condition in WORKSHOP_FIGURES
    }
    if padded:
        aggregates |= {name: Value(0) for name in VISIT_FIGURES}  # type: ignore[misc]
    return _held(p).order_by().values(*groups).annotate(**aggregates)


def _visit_rows(p: Period, by, *, padded: bool = False):
    """Visits done in the period, planned in it (and of those done), overdue today, per
    partner. ``padded``: in the columns of ``_workshop_rows(padded=True)``."""
    recorded = Q(status=ConsultingVisit.Status.RECORDED)
    planned_in = in_period("planned_date", p.period_from, p.period_to) & Q(
        planned_date__isnull=False
    )
    planned_in &= ~Q(status=ConsultingVisit.Status.CANCELLED)
    aggregates: dict = {}
    if padded:
        if by in BY_MODULE:  # visits are not split by module: the module column is empty
            aggregates["module"] = Value(None, output_field=IntegerField())
        aggregates |= {name: Value(0) for name, _condition in WORKSHOP_FIGURES}
    aggregates |= {
        "done": Count(
            "id",
            filter=recorded
            & Q(visit_date__isnull=False)
            & in_period("visit_date", p.period_from, p.period_to),
        ),
        "planned": Count("id", filter=planned_in),
        "planned_done": Count("id", filter=planned_in & recorded),
        "overdue": Count(
            "id", filter=Q(status=ConsultingVisit.Status.PLANNED, planned_date__lt=p.today)
        ),
    }
    return (
        p.qs(ConsultingVisit, "enrolment__enterprise__partner_id")
        .order_by()
        .values(_field("enrolment__enterprise__partner_id", by))
        .annotate(**aggregates)
    )


def _workshop_sums(rows, by) -> dict:
    out: dict = {}
    for row in rows:
        key = _key(row["partner_id"], row.get("module_id"), by)
        _add(out, key, {name: row[name] for name, _condition in WORKSHOP_FIGURES})
    return out


def _visit_sums(rows, by) -> dict:
    out: dict = {}
    for row in rows:
        _add(out, _key(row["partner_id"], None, by), {name: row[name] for name in VISIT_FIGURES})
    return out


def _workshop_family(p: Period, by) -> dict:
    return _workshop_sums(_workshop_rows(p, by), by)


def _held(p: Period):
    return p.qs(Workshop, "partner_id").filter(
        in_period("start_date", p.period_from, p.period_to), status=Workshop.Status.HELD
    )


def _evaluation_family(p: Period, by) -> dict:
    """Respondents to the overall question of held workshops and the satisfied among them
    (``workshops.selectors.satisfied_q``: the rule the workshop page uses), one query."""
    groups = ["response__workshop__partner_id"] + (
        ["response__workshop__module_id"] if by in BY_MODULE else []
    )
    out: dict = {}
    for row in (
        overall_answers(EvaluationResponse.objects.filter(workshop__in=_held(p)))
        .order_by()
        .values(*groups)
        .annotate(
            respondents=Count("response", distinct=True),
            satisfied=Count("id", filter=satisfied_q()),
        )
    ):
        partner_id = row.pop("response__workshop__partner_id")
        key = _key(partner_id, row.pop("response__workshop__module_id", None), by)
        _add(out, key, row)
    return out


def _visit_family(p: Period, by) -> dict:
    rows = _visit_rows(p, by)
    field = _field("enrolment__enterprise__partner_id", by)  # an enterprise's id by enterprise
    return _visit_sums(({**row, "partner_id": row[field]} for row in rows), by)


def _workshop_and_visit_families(p: Period, by) -> tuple[dict, dict]:
    """Both families in one query (``UNION ALL`` of the two grouped selects; a visit row has
    no workshop, so its ``held`` is 0, and a workshop row's visit columns are 0)."""
    workshops: list = []
    visits: list = []
    united = _workshop_rows(p, by, padded=True).union(_visit_rows(p, by, padded=True), all=True)
    for row in united:
        # a workshop row groups at least one held workshop; a visit row holds none
        (workshops if row["held"] else visits).append(row)
    return _workshop_sums(workshops, by), _visit_sums(visits, by)


def _trainer_family(p: Period, by) -> dict:
    """Certified trainers per partner (and module). A trainer serving two partners counts
    once in the programme's total: without ``by`` the query is not grouped by partner."""
    links = Trainer.partners.through.objects.filter(
        trainer__is_active=True,
        trainer__certifications__grade__in=Certification.QUALIFIED,
    ).filter(
        Q(trainer__certifications__valid_until__isnull=True)
        | Q(trainer__certifications__valid_until__gte=p.on)
    )
    links = links.filter(partner__in=p.qs(_partner_model(), "pk").values("pk"))
    active_ids = Trainer.objects.filter(active_recently_q(p.on)).values("pk")
    counts = {"certified": Q(), "trainers_active": Q(trainer_id__in=active_ids)}
    aggregates = {
        name: Count("trainer_id", distinct=True, filter=condition)
        for name, condition in counts.items()
    }
    for module_id in p.modules:
        for name, condition in counts.items():
            aggregates[f"{name}__{module_id}"] = Count(
                "trainer_id",
                distinct=True,
                filter=condition & Q(trainer__certifications__module_id=module_id),
            )
    module = "trainer__certifications__module_id"
    groups = {
        None: [],
        "partner": ["partner_id"],
        "module": [module],
        "partner_module": ["partner_id", module],
    }[by if by in ("partner", "module", "partner_module") else None]
    out: dict = {}
    if not groups:
        row = links.order_by().aggregate(**aggregates)
        _add(out, ALL, row)
        return out
    for row in links.order_by().values(*groups).annotate(**aggregates):
        _add(out, _key(row.pop("partner_id", None), row.pop(module, None), by), row)
    return out


def _partner_model():
    from score_portal.models import Partner

    return Partner


def _kpi_family_groups(p: Period, by) -> dict:
    out: dict = {}
    pairs = improvement_pairs(p.reached()).order_by().exclude(kpi__headline="")
    field = _field("enterprise__partner_id", by)
    for row in pairs.values(field, "kpi__headline").annotate(
        reporting=Count("enterprise", distinct=True),
        improving=Count("enterprise", distinct=True, filter=Q(improved=1)),
    ):
        family = row.pop("kpi__headline")
        key = _key(row.pop(field), None, by)
        _add(
            out,
            key,
            {f"{family}_reporting": row["reporting"], f"{family}_improving": row["improving"]},
        )
    return out


def _project_family(p: Period, by) -> dict:
    """Projects and realised savings, per enterprise, module and currency (one query); the
    medians and ROI are taken over these rows."""
    done = Q(status=ImprovementProject.Status.COMPLETED)
    rows = list(
        p.projects()
        .order_by()
        .values("enterprise__partner_id", "enterprise_id", "module_id", "currency")
        .annotate(
            n=Count("id"),
            completed=Count("id", filter=done),
            realised=Sum("realised_saving", filter=done & Q(realised_saving__isnull=False)),
        )
    )
    return {"rows": rows}


def _fee_family(p: Period, by) -> dict:
    rows = list(
        p.enrolments()
        .filter(paid_enterprise__gt=0)
        .order_by()
        .values("enterprise__partner_id", "enterprise_id", "module_id", "currency")
        .annotate(fee=Sum("paid_enterprise"))
    )
    return {"rows": rows}


def _eit_family(p: Period, by) -> dict:
    out: dict = {}
    for row in (
        EITMember.objects.filter(eit_active_q(p.on), enterprise__in=p.reached())
        .order_by()
        .values(_field("enterprise__partner_id", by))
        .annotate(
            members=Count("id"),
            women=Count("id", filter=Q(sex=EITMember.Sex.FEMALE)),
            workers=Count("id", filter=Q(level=EITMember.Level.WORKER)),
        )
    ):
        _add(out, _key(row.pop(_field("enterprise__partner_id", by)), None, by), row)
    return out


def _suggestion_family(p: Period, by) -> dict:
    out: dict = {}
    month_from = p.period_from.replace(day=1) if p.period_from else None
    for row in (
        SuggestionCount.objects.filter(enterprise__in=p.reached())
        .filter(in_period("month", month_from, p.period_to))
        .order_by()
        .values(_field("enterprise__partner_id", by))
        .annotate(made=Sum("made"), implemented=Sum("implemented"))
    ):
        _add(out, _key(row.pop(_field("enterprise__partner_id", by)), None, by), row)
    return out


def _assessment_family(p: Period, by) -> dict:
    """Good practices adopted since the baseline, per enterprise and module: the baseline and
    the latest progress assessment on or before the period's last day, compared practice by
    practice (``adopted_keys``, the definition the enterprise page shows). Two queries."""
    same = {"enterprise": OuterRef("enterprise"), "module": OuterRef("module")}
    withdrawn = Enrolment.objects.filter(**same, status=Enrolment.Status.WITHDRAWN)
    kept = Enrolment.objects.filter(**same).exclude(status=Enrolment.Status.WITHDRAWN)
    rows = (
        p.qs(Assessment, "enterprise__partner_id")
        .filter(enterprise__in=p.reached(), assessed_on__lte=p.on)
        .filter(Q(Exists(kept)) | ~Q(Exists(withdrawn)))
        .order_by("assessed_on", "pk")
        .values_list("pk", "enterprise_id", "enterprise__partner_id", "module_id", "kind")
    )
    pairs: dict = {}  # (enterprise, module) → [partner, baseline id, latest progress id]
    for pk, enterprise_id, partner_id, module_id, kind in rows:
        pair = pairs.setdefault((enterprise_id, module_id), [partner_id, None, None])
        pair[1 if kind == Assessment.Kind.BASELINE else 2] = pk  # ordered: the last is latest
    complete = {k: v for k, v in pairs.items() if v[1] is not None and v[2] is not None}
    answers: dict = defaultdict(dict)
    ids = [pk for _partner, *both in complete.values() for pk in both]
    for assessment_id, key, answer in AssessmentAnswer.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "item__key", "answer"):
        answers[assessment_id][key] = answer
    assessed: dict = defaultdict(set)
    adopting: dict = defaultdict(set)
    for (enterprise_id, module_id), (partner_id, baseline, latest) in complete.items():
        key = _key(enterprise_id if by == "enterprise" else partner_id, module_id, by)
        assessed[key].add(enterprise_id)
        if adopted_keys(answers[baseline], answers[latest]):
            adopting[key].add(enterprise_id)
    return {
        key: {"assessed": len(enterprises), "adopting": len(adopting[key])}
        for key, enterprises in assessed.items()
    }


FAMILY_FUNCTIONS = {
    "enrolment": _enrolment_family,
    "enterprise": _enterprise_family,
    "workshop": _workshop_family,
    "evaluation": _evaluation_family,
    "visit": _visit_family,
    "trainer": _trainer_family,
    "kpi_groups": _kpi_family_groups,
    "project": _project_family,
    "fee": _fee_family,
    "eit": _eit_family,
    "suggestion": _suggestion_family,
    "assessment": _assessment_family,
}


# --- From a family's sums to each indicator's value -----------------------------------------


def _share(part, whole) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def _count(name):
    return ("count", lambda s: int(s.get(name, 0)))


def _ratio(part, whole):
    return ("share", lambda s: _share(s.get(part, 0), s.get(whole, 0)))


FORMULAS: dict[str, tuple[str, tuple]] = {
    "enterprises_reached": ("enrolment", _count("reached")),
    "enterprises_enrolled": ("enrolment", _count("enrolled")),
    "enterprises_trained": ("enrolment", _count("trained")),
    "cost_recovery": ("enrolment", _ratio("non_ilo", "paid")),
    "enterprises_active": ("enterprise", _count("status_active")),
    "jobs": ("enterprise", _count("jobs")),
    "jobs_women": ("enterprise", _count("jobs_women")),
    "data_coverage": ("enterprise", _ratio("covered", "coverage_trained")),
    "workshops_held": ("workshop", _count("held")),
    "participants": ("workshop", _count("participants_total")),
    "participants_women": ("workshop", _count("participants_women")),
    "participants_men": ("workshop", _count("participants_men")),
    "participants_managers": ("workshop", _count("participants_managers")),
    "participants_workers": ("workshop", _count("participants_workers")),
    "participants_women_share": (
        "workshop",
        _ratio("participants_women", "participants_total"),
    ),
    "participant_satisfaction": ("evaluation", _ratio("satisfied", "respondents")),
    "visits_done": ("visit", _count("done")),
    "visits_planned": ("visit", _count("planned")),
    "visits_done_share": ("visit", _ratio("planned_done", "planned")),
    "visits_overdue": ("visit", _count("overdue")),
    "trainers_certified": ("trainer", _count("certified")),
    "trainers_active": ("trainer", _count("trainers_active")),
    "improving_share": ("enterprise", _ratio("improving", "reporting")),
    "enterprises_registered": ("enterprise", _count("registered")),
    "enterprises_prospect": ("enterprise", _count("status_prospect")),
    "enterprises_completed": ("enterprise", _count("status_completed")),
    "enterprises_withdrawn": ("enterprise", _count("status_withdrawn")),
    "eit_members": ("eit", _count("members")),
    "eit_women": ("eit", _count("women")),
    "eit_women_share": ("eit", _ratio("women", "members")),
    "eit_workers_share": ("eit", _ratio("workers", "members")),
    "suggestions_made": ("suggestion", _count("made")),
    "suggestions_implemented": ("suggestion", _count("implemented")),
    "practices_adopted_share": ("assessment", _ratio("adopting", "assessed")),
}
for _family in FAMILIES:
    FORMULAS[f"improving_share_{_family}"] = (
        "kpi_groups",
        _ratio(f"{_family}_improving", f"{_family}_reporting"),
    )
# The enterprise family's sums each of its indicators reads (the query computes only those).
ENTERPRISE_FIELDS = {
    "enterprises_registered": ["registered"],
    **{f"enterprises_{status}": [f"status_{status}"] for status in Enterprise.Status.values},
    "jobs": ["jobs"],
    "jobs_women": ["jobs_women"],
    "data_coverage": ["covered", "coverage_trained"],
    "improving_share": ["improving", "reporting"],
}
assert {code for code, (name, _f) in FORMULAS.items() if name == "enterprise"} == set(
    ENTERPRISE_FIELDS
)
# Counts that ``modules=`` splits per module within the same query.
SPLIT_BY_MODULE = {
    "enterprises_reached": "reached",
    "enterprises_enrolled": "enrolled",
    "enterprises_trained": "trained",
    "trainers_certified": "certified",
    "trainers_active": "trainers_active",
}
PROJECT_CODES = {"projects", "projects_completed", "savings_total", "savings_median"}
PROJECT_CODES |= {"savings_per_enterprise"}
ROI_CODES = {"roi_median"}
# The figures of enterprises (a group's, one enterprise's): all but workshops, their
# evaluations and trainers, which belong to partners.
ENTERPRISE_LEVEL = [
    code
    for code in CODES
    if code in PROJECT_CODES
    or code in ROI_CODES
    or FORMULAS[code][0] not in ("workshop", "trainer", "evaluation")
]


def _median(values):
    return Decimal(statistics.median(values)) if values else None


def _project_values(code, rows, by) -> dict:
    """Projects and savings from per-enterprise rows: per key (and currency for money)."""
    counts: dict = defaultdict(int)
    per_enterprise: dict = defaultdict(lambda: defaultdict(Decimal))  # key → (ent, cur) → sum
    for row in rows:
        key = (
            ALL
            if by in (None, "currency")
            else _key(row[_field("enterprise__partner_id", by)], row["module_id"], by)
        )
        counts[key] += row["n"] if code == "projects" else row["completed"]
        if row["realised"] is not None:
            per_enterprise[key][(row["enterprise_id"], row["currency"])] += row["realised"]
    if code in ("projects", "projects_completed"):
        return dict(counts)
    result: dict = {}
    for key, sums in per_enterprise.items():
        by_currency: dict = defaultdict(list)
        for (_enterprise, currency), amount in sums.items():
            by_currency[currency].append(amount)
        money = {}
        for currency, amounts in sorted(by_currency.items()):
            if code == "savings_total":
                money[currency] = sum(amounts, Decimal(0))
            elif code == "savings_median":
                money[currency] = _median(amounts)
            else:
                money[currency] = sum(amounts, Decimal(0)) / len(amounts)
        result[key] = money
    if by == "currency":
        return result.get(ALL, {})
    return result


def _roi_values(project_rows, fee_rows, by) -> dict:
    realised: dict = defaultdict(Decimal)
    for row in project_rows:
        if row["realised"] is not None and row["module_id"] is not None:
            realised[(row["enterprise_id"], row["module_id"], row["currency"])] += row["realised"]
    ratios: dict = defaultdict(list)
    for row in fee_rows:
        saving = realised.get((row["enterprise_id"], row["module_id"], row["currency"]), 0)
        key = _key(row[_field("enterprise__partner_id", by)], row["module_id"], by)
        ratios[key].append(Decimal(saving) / row["fee"])
    return {key: _median(values) for key, values in ratios.items()}


def indicator_values(
    user,
    codes=None,
    *,
    partner_ids=None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    by: str | None = None,
    today: dt.date | None = None,
    modules=(),
    enterprise_ids=None,
) -> dict[str, dict]:
    """``{code: {key: value}}`` for these indicators over the user's scope (and these
    partners), one grouped query per family of figures needed. ``by`` is ``None`` (key
    ``"all"``), ``"partner"``, ``"module"``, ``"partner_module"`` (keys
    ``(partner_id, module_id)``) or ``"currency"`` (money indicators only). With
    ``modules`` (module ids) the counts of ``SPLIT_BY_MODULE`` also come per module, keyed
    ``(key, module_id)``, from the same queries. ``by="enterprise"`` (keys: enterprise ids)
    and ``enterprise_ids`` (an enterprise group's) serve the enterprise-level figures only
    (``ENTERPRISE_LEVEL``); a workshop or trainer figure raises ``ValueError``."""
    codes = list(codes or CODES)
    unknown = [code for code in codes if code not in REGISTER]
    if unknown:
        raise KeyError(unknown)
    if by == "enterprise" or enterprise_ids is not None:
        partner_level = [code for code in codes if code not in ENTERPRISE_LEVEL]
        if partner_level:
            raise ValueError(f"Not an enterprise-level figure: {partner_level}")
    p = Period(user, partner_ids, period_from, period_to, today, modules, enterprise_ids)
    partners_key: str | list | None
    enterprises_key: str | list | None
    if isinstance(p.partner_ids, QuerySet):
        partners_key = str(p.partner_ids.query)  # the subquery's SQL (the user's scope)
    else:
        partners_key = sorted(p.partner_ids) if p.partner_ids is not None else None
    if isinstance(p.enterprise_ids, QuerySet):
        enterprises_key = str(p.enterprise_ids.query)  # a group's enterprises, as SQL
    else:
        enterprises_key = sorted(p.enterprise_ids) if p.enterprise_ids is not None else None
    parts = (
        "internal" if user is None else ("user", user.pk),
        sorted(codes),
        partners_key,
        enterprises_key,
        period_from,
        period_to,
        by,
        p.today,
        p.modules,
    )
    return cached_figures("indicators", parts, lambda: _indicator_values(p, codes, by))


def _indicator_values(p: Period, codes: list[str], by) -> dict[str, dict]:
    cache: dict[str, dict] = {}
    needed = {FORMULAS[code][0] for code in codes if code in FORMULAS}
    p.enterprise_fields = sorted(
        {field for code in codes for field in ENTERPRISE_FIELDS.get(code, ())}
    )
    if {"workshop", "visit"} <= needed:
        cache["workshop"], cache["visit"] = _workshop_and_visit_families(p, by)

    def family(name):
        if name not in cache:
            cache[name] = FAMILY_FUNCTIONS[name](p, by)
        return cache[name]

    values: dict[str, dict] = {}
    for code in codes:
        if code in PROJECT_CODES:
            values[code] = _project_values(code, family("project")["rows"], by)
        elif code in ROI_CODES:
            values[code] = _roi_values(family("project")["rows"], family("fee")["rows"], by)
        else:
            name, (_kind, formula) = FORMULAS[code]
            values[code] = {key: formula(sums) for key, sums in family(name).items()}
            if code in SPLIT_BY_MODULE:
                field = SPLIT_BY_MODULE[code]
                for key, sums in family(name).items():
                    for module_id in p.modules:
                        values[code][(key, module_id)] = int(sums.get(f"{field}__{module_id}", 0))
    return values


def value_of(values: dict, code: str, key=ALL):
    """One value, with the indicator's empty value when no row had any (0, None or {})."""
    found = values.get(code, {}).get(key)
    if found is not None:
        return found
    unit = REGISTER[code].unit
    if unit == MONEY:
        return {}
    if unit in (PERCENT, RATIO):
        return None
    return 0
