"""Reads for trainers, their certification evidence, teaching and visits; always for a given
user and scoped through ``score_portal.access.scope``."""

import datetime

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from catalogue.models import Module
from enterprises.models import Enrolment
from score_portal.access import Perm, get_for_user, scope
from workshops.models import Workshop

from .models import Assignment, Certification, ConsultingVisit, Trainer, WorkshopTrainer

ACTIVE_DAYS = 365


def _since(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) - datetime.timedelta(days=ACTIVE_DAYS)


def active_recently_q(today: datetime.date | None = None) -> Q:
    """Taught a held workshop or recorded a visit in the last 12 months (on a Trainer)."""
    since = _since(today)
    taught = WorkshopTrainer.objects.filter(
        trainer=OuterRef("pk"), workshop__status=Workshop.Status.HELD, workshop__end_date__gte=since
    )
    visited = ConsultingVisit.objects.filter(
        trainer=OuterRef("pk"), status=ConsultingVisit.Status.RECORDED, visit_date__gte=since
    )
    return Q(Exists(taught)) | Q(Exists(visited))


def qualified_q(module=None, grade: str | None = None, today=None) -> Q:
    """Trainers holding a certification (in ``module``, of ``grade``); without ``grade``:
    certified or expert and still valid."""
    today = today or timezone.localdate()
    certifications = Certification.objects.filter(trainer=OuterRef("pk"))
    if module is not None:
        certifications = certifications.filter(module=module)
    if grade:
        certifications = certifications.filter(grade=grade)
    else:
        certifications = certifications.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            grade__in=Certification.QUALIFIED,
        )
    return Q(Exists(certifications))


def trainer_list(user, perm: str = Perm.VIEW) -> QuerySet[Trainer]:
    """Trainers the user may see, with partners, certifications (and modules) and the
    "active in the last 12 months" flag, in a fixed number of queries."""
    return (
        scope(user, Trainer.objects.all(), perm)
        .annotate(
            active_recently=ExpressionWrapper(active_recently_q(), output_field=BooleanField())
        )
        .prefetch_related(
            "partners",
            Prefetch(
                "certifications",
                queryset=Certification.objects.select_related("module").order_by("module__order"),
            ),
        )
    )


def trainer_get(user, pk: int, perm: str = Perm.VIEW) -> Trainer:
    return get_for_user(user, Trainer.objects.select_related("user"), perm, pk=pk)


def certification_get(user, pk: int, perm: str = Perm.VIEW) -> Certification:
    """A certification is seen by whoever sees its trainer (the trainer page lists them):
    404 when the trainer is out of scope, 403 without ``perm`` on the trainer."""
    certification = get_object_or_404(Certification.objects.select_related("module"), pk=pk)
    certification.trainer = trainer_get(user, certification.trainer_id, perm)
    return certification


def trainer_for_user(user) -> Trainer | None:
    """The trainer profile linked to a login, if any."""
    if not user.is_authenticated:
        return None
    return Trainer.objects.filter(user=user).first()


def trainer_certifications(trainer: Trainer) -> list[Certification]:
    return list(
        trainer.certifications.select_related("module", "recommended_by").order_by("module__order")
    )


def certification_history(trainer: Trainer, limit: int = 200) -> list:
    """Every saved version of the trainer's certifications, newest first, with who saved it
    and the module and recommender resolved without a query per row."""
    records = list(
        Certification.history.filter(trainer_id=trainer.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    modules = {m.pk: m for m in Module.objects.filter(pk__in={r.module_id for r in records})}
    experts = {
        t.pk: t
        for t in Trainer.objects.filter(
            pk__in={r.recommended_by_id for r in records if r.recommended_by_id}
        )
    }
    for record in records:
        record.module_loaded = modules.get(record.module_id)
        record.recommender_loaded = experts.get(record.recommended_by_id)
    return records


def workshops_delivered(user, trainer: Trainer) -> list[WorkshopTrainer]:
    """The workshops the trainer teaches or taught, among those the user may see."""
    visible = scope(user, Workshop.objects.all())
    return list(
        WorkshopTrainer.objects.filter(trainer=trainer, workshop__in=visible)
        .select_related("workshop__module", "workshop__partner")
        .order_by("-workshop__start_date")
    )


def enterprises_served(user, trainer: Trainer) -> list[Assignment]:
    """The enrolments the trainer is assigned to as consultant, with the visits recorded and
    planned there by this trainer (one aggregate query)."""
    visible = scope(user, Enrolment.objects.all())
    return list(
        Assignment.objects.filter(trainer=trainer, enrolment__in=visible)
        .select_related("enrolment__enterprise", "enrolment__module")
        .annotate(
            recorded=Count(
                "enrolment__visits",
                filter=Q(
                    enrolment__visits__trainer=trainer,
                    enrolment__visits__status=ConsultingVisit.Status.RECORDED,
                ),
            ),
            planned=Count(
                "enrolment__visits",
                filter=Q(
                    enrolment__visits__trainer=trainer,
                    enrolment__visits__status=ConsultingVisit.Status.PLANNED,
                ),
            ),
        )
        .order_by("enrolment__enterprise__name", "enrolment__module__order")
    )


def visits_by_module(user, trainer: Trainer) -> list[dict]:
    """Per module: distinct enterprises visited and visits recorded, planned and cancelled by
    the trainer, among the visits the user may see (one aggregate query)."""
    visible = scope(user, ConsultingVisit.objects.all())
    status = ConsultingVisit.Status
    rows = (
        visible.filter(trainer=trainer)
        .values("enrolment__module_id", "enrolment__module__code", "enrolment__module__order")
        .annotate(
            enterprises=Count(
                "enrolment__enterprise", distinct=True, filter=Q(status=status.RECORDED)
            ),
            recorded=Count("id", filter=Q(status=status.RECORDED)),
            planned=Count("id", filter=Q(status=status.PLANNED)),
            cancelled=Count("id", filter=Q(status=status.CANCELLED)),
        )
        .order_by("enrolment__module__order")
    )
    return [{"module_code": row["enrolment__module__code"], **row} for row in rows]


def certification_evidence(
    trainer: Trainer, *, since: datetime.date | None = None, module=None
) -> list[dict]:
    """Per module: the held workshops the trainer taught and the distinct enterprises where
    the trainer recorded visits, against the module's thresholds. Computed from recorded
    deliveries only (one query); lists the modules the trainer holds a certification in or
    has delivered. With ``since``: only deliveries from that day on (the evidence of recent
    delivery a renewal needs)."""
    workshops_since = Q(workshop__end_date__gte=since) if since else Q()
    visits_since = Q(visit_date__gte=since) if since else Q()
    taught = (
        WorkshopTrainer.objects.filter(
            workshops_since,
            trainer=trainer,
            workshop__status=Workshop.Status.HELD,
            workshop__module=OuterRef("pk"),
        )
        .values("trainer_id")
        .annotate(n=Count("workshop_id", distinct=True))
        .values("n")
    )
    visited = (
        ConsultingVisit.objects.filter(
            visits_since,
            trainer=trainer,
            status=ConsultingVisit.Status.RECORDED,
            enrolment__module=OuterRef("pk"),
        )
        .values("trainer_id")
        .annotate(n=Count("enrolment__enterprise_id", distinct=True))
        .values("n")
    )
    modules = (
        Module.objects.annotate(
            taught_count=Coalesce(Subquery(taught, output_field=IntegerField()), Value(0)),
            visited_count=Coalesce(Subquery(visited, output_field=IntegerField()), Value(0)),
            certified=Exists(Certification.objects.filter(trainer=trainer, module=OuterRef("pk"))),
        )
        .filter(Q(certified=True) | Q(taught_count__gt=0) | Q(visited_count__gt=0))
        .order_by("order", "code")
    )
    if module is not None:
        modules = modules.filter(pk=module.pk)
    evidence = []
    for module in modules:
        workshops_met = module.taught_count >= module.cert_min_workshops
        enterprises_met = module.visited_count >= module.cert_min_enterprises
        evidence.append(
            {
                "module": module,
                "workshops": module.taught_count,
                "min_workshops": module.cert_min_workshops,
                "workshops_met": workshops_met,
                "enterprises": module.visited_count,
                "min_enterprises": module.cert_min_enterprises,
                "enterprises_met": enterprises_met,
                "meets": workshops_met and enterprises_met,
            }
        )
    return evidence


def schedule_for(user, trainer: Trainer, today: datetime.date | None = None) -> dict:
    """A trainer's coming workshops and planned visits (overdue ones included), by date."""
    today = today or timezone.localdate()
    workshops = list(
        scope(user, Workshop.objects.all())
        .filter(
            trainer_links__trainer=trainer,
            end_date__gte=today,
            status__in=[Workshop.Status.PLANNED, Workshop.Status.OPEN],
        )
        .select_related("module", "partner")
        .order_by("start_date", "pk")
    )
    visits = list(
        scope(user, ConsultingVisit.objects.all())
        .filter(trainer=trainer, status=ConsultingVisit.Status.PLANNED)
        .select_related("enrolment__enterprise", "enrolment__module")
        .order_by("planned_date", "pk")
    )
    overdue = [v for v in visits if v.planned_date and v.planned_date < today]
    return {"workshops": workshops, "visits": visits, "overdue": len(overdue), "today": today}


def consultant_section(enterprise) -> list[Enrolment]:
    """The enterprise's open enrolments with their consultants, visit counts and planned
    visits (three queries)."""
    status = ConsultingVisit.Status
    return list(
        Enrolment.objects.filter(enterprise=enterprise, status__in=Enrolment.OPEN_STATUSES)
        .select_related("module")
        .annotate(
            visits_planned=Count("visits", filter=Q(visits__status=status.PLANNED)),
            visits_recorded=Count("visits", filter=Q(visits__status=status.RECORDED)),
        )
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("trainer")),
            Prefetch(
                "visits",
                queryset=ConsultingVisit.objects.filter(status=status.PLANNED)
                .select_related("trainer")
                .order_by("planned_date", "number"),
                to_attr="planned_visits",
            ),
        )
        .order_by("module__order")
    )


def assignable_trainers(user, partner_id: int) -> QuerySet[Trainer]:
    """Active trainers serving the partner, among those the user may see: who may be
    assigned as consultant."""
    return scope(user, Trainer.objects.filter(is_active=True, partners=partner_id)).order_by("name")


PLAN_WEEKS = 8


def visit_plan(user, *, trainer: Trainer | None = None, today: datetime.date | None = None) -> dict:
    """The planned consulting visits the user may see, for the staff's visit plan: the overdue
    ones, then those of the next ``PLAN_WEEKS`` weeks grouped by week (Monday first), each with
    its enterprise, module and consultant. One query."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    last = monday + datetime.timedelta(weeks=PLAN_WEEKS) - datetime.timedelta(days=1)
    visits = (
        scope(user, ConsultingVisit.objects.all())
        .filter(status=ConsultingVisit.Status.PLANNED, planned_date__lte=last)
        .select_related("enrolment__enterprise", "enrolment__module", "trainer")
        .order_by("planned_date", "trainer__name", "pk")
    )
    if trainer is not None:
        visits = visits.filter(trainer=trainer)
    overdue: list = []
    weeks: dict = {}
    for visit in visits:
        if visit.planned_date is None or visit.planned_date < today:
            overdue.append(visit)
            continue
        start = visit.planned_date - datetime.timedelta(days=visit.planned_date.weekday())
        weeks.setdefault(start, []).append(visit)
    return {
        "overdue": overdue,
        "weeks": [
            {"start": start, "end": start + datetime.timedelta(days=6), "visits": items}
            for start, items in sorted(weeks.items())
        ],
        "until": last,
    }


def plan_trainers(user) -> QuerySet[Trainer]:
    """The trainers whose plan the user may filter by."""
    return scope(user, Trainer.objects.all()).order_by("name")


def offline_bootstrap(user) -> dict:
    """What the trainer's phone keeps for offline use, scoped like the visit pages (what the
    user may record): the enrolments and their enterprises, planned visits, open actions,
    EIT members, the KPI catalogue and the last readings. A fixed number of queries."""
    from catalogue.models import KPIDefinition
    from enterprises.models import EITMember, KPIReading
    from enterprises.selectors import eit_active_q

    from .models import VisitAction
    from .services.sync import visit_version
    from .services.visits import enrolment_takes_visits

    enrolments = list(
        scope(user, Enrolment.objects.all(), Perm.RECORD)
        .select_related("enterprise", "module")
        .order_by("enterprise__name", "module__code")
    )
    enrolment_ids = [e.pk for e in enrolments]
    enterprise_ids = sorted({e.enterprise_id for e in enrolments})
    visits = list(
        scope(user, ConsultingVisit.objects.all(), Perm.RECORD)
        .filter(status=ConsultingVisit.Status.PLANNED, enrolment_id__in=enrolment_ids)
        .order_by("planned_date", "number")
    )
    actions = VisitAction.objects.filter(
        visit__enrolment_id__in=enrolment_ids, status=VisitAction.Status.OPEN
    ).select_related("visit")
    members: dict[int, list] = {}
    for member in EITMember.objects.filter(
        eit_active_q(), enterprise_id__in=enterprise_ids
    ).order_by("role", "name"):
        members.setdefault(member.enterprise_id, []).append({"id": member.pk, "name": member.name})
    last: dict[int, dict] = {}
    baselines: dict[int, list] = {}
    for reading in (
        KPIReading.objects.filter(enterprise_id__in=enterprise_ids)
        .select_related("kpi")
        .order_by("period_end", "pk")
    ):
        last.setdefault(reading.enterprise_id, {})[reading.kpi.code] = {
            "value": str(reading.value.normalize()),
            "kind": reading.kind,
            "period_end": reading.period_end.isoformat(),
        }
        if reading.kind == KPIReading.Kind.BASELINE:
            baselines.setdefault(reading.enterprise_id, []).append(reading.kpi.code)

    def plain(value):
        return None if value is None else str(value.normalize())

    return {
        "generated_at": timezone.now().isoformat(),
        "today": timezone.localdate().isoformat(),
        "enrolments": [
            {
                "id": e.pk,
                "enterprise_id": e.enterprise_id,
                "enterprise": e.enterprise.display_name,
                "module": e.module.code,
                "takes_visits": enrolment_takes_visits(e),
            }
            for e in enrolments
        ],
        "visits": [
            {
                "id": v.pk,
                "enrolment_id": v.enrolment_id,
                "number": v.number,
                "planned_date": v.planned_date.isoformat() if v.planned_date else None,
                "version": visit_version(v),
            }
            for v in visits
        ],
        "open_actions": [
            {
                "id": a.pk,
                "enrolment_id": a.visit.enrolment_id,
                "visit_number": a.visit.number,
                "description": a.description,
                "owner": a.owner,
                "due_date": a.due_date.isoformat() if a.due_date else None,
            }
            for a in actions
        ],
        "eit_members": {str(k): v for k, v in members.items()},
        "kpis": [
            {
                "code": k.code,
                "name": k.name,
                "unit": k.unit,
                "min": plain(k.plausible_min),
                "max": plain(k.plausible_max),
            }
            for k in KPIDefinition.objects.filter(is_active=True).order_by("order", "code")
        ],
        "last_readings": {str(k): v for k, v in last.items()},
        "baselines": {str(k): v for k, v in baselines.items()},
    }


def sync_conflict_list(user) -> QuerySet:
    from .models import SyncConflict

    return scope(user, SyncConflict.objects.all()).select_related(
        "enrolment__enterprise", "enrolment__module", "visit", "record__user", "decided_by"
    )
