"""Reads of the enterprise contact's portal: everything through ``score_portal.access`` with
``Perm.ENTERPRISE``, so only the contact's enterprise (``ENTERPRISE_PATH``) is ever seen."""

from collections import defaultdict

from django.http import Http404
from django.utils import timezone

from certificates.models import IssuedCertificate
from enterprises.models import (
    Enterprise,
    EnterpriseGroup,
    ImprovementProject,
    KPIReading,
    SuggestionCount,
)
from reports.models import ReportRun
from score_portal.access import Perm, access_for, get_for_user, scope
from trainers.models import ConsultingVisit, VisitAction
from workshops.models import Workshop

CHOSEN = "contact_enterprise"  # session key: the enterprise a group contact is looking at


def contact_enterprises(user) -> list[Enterprise]:
    """The enterprises the contact speaks for: one, or every enterprise of their group. Read
    once per request (kept on the user object, as ``access_for`` keeps the roles): the page,
    its switcher and the chosen enterprise share it."""
    cached = getattr(user, "_contact_enterprises", None)
    if cached is None:
        cached = list(
            scope(user, Enterprise.objects.select_related("partner", "group"), Perm.ENTERPRISE)
            .filter(pk__in=access_for(user).enterprise_ids)
            .order_by("name", "pk")
        )
        user._contact_enterprises = cached
    return cached


def contact_enterprise(request) -> Enterprise:
    """The enterprise the contact's pages are about: theirs, or for a group contact the one
    they chose (``contacts:switch``; the first of the group until they choose). 404 for
    anyone else, and for a group contact whose group has no enterprise yet."""
    enterprises = contact_enterprises(request.user)
    if not enterprises:
        raise Http404
    chosen = request.session.get(CHOSEN)
    return next((e for e in enterprises if e.pk == chosen), enterprises[0])


def contact_groups(user):
    """The enterprise groups the user is the contact of (empty for an enterprise's contact)."""
    return scope(user, EnterpriseGroup.objects.all(), Perm.ENTERPRISE).order_by("name", "pk")


def contact_group_get(user, pk) -> EnterpriseGroup:
    """One group of theirs (404 for any other group, and for an enterprise's contact)."""
    return get_for_user(user, EnterpriseGroup.objects.all(), Perm.ENTERPRISE, pk=pk)


def group_overview(user, enterprises: list[Enterprise]) -> list[dict]:
    """For a group contact's home: per enterprise of the group, what needs them (open
    actions, readings returned for revision, the next planned visit), in a few grouped
    queries whatever the group's size."""
    from django.db.models import Count, Min

    ids = [e.pk for e in enterprises]
    open_actions = dict(
        scope(user, VisitAction.objects.all(), Perm.ENTERPRISE)
        .filter(visit__enrolment__enterprise_id__in=ids, status="open")
        .values_list("visit__enrolment__enterprise_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    returned = dict(
        scope(user, KPIReading.objects.all(), Perm.ENTERPRISE)
        .filter(enterprise_id__in=ids, source=KPIReading.Source.ENTERPRISE)
        .filter(returned_at__isnull=False, verified_at__isnull=True)
        .values_list("enterprise_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    next_visit = dict(
        scope(user, ConsultingVisit.objects.all(), Perm.ENTERPRISE)
        .filter(
            enrolment__enterprise_id__in=ids,
            status=ConsultingVisit.Status.PLANNED,
            planned_date__gte=timezone.localdate(),
        )
        .values_list("enrolment__enterprise_id")
        .annotate(first=Min("planned_date"))
        .order_by()
    )
    return [
        {
            "enterprise": e,
            "open_actions": open_actions.get(e.pk, 0),
            "returned": returned.get(e.pk, 0),
            "next_visit": next_visit.get(e.pk),
        }
        for e in enterprises
    ]


def schedule(user, enterprise: Enterprise) -> dict:
    today = timezone.localdate()
    workshops = (
        scope(user, Workshop.objects.all(), Perm.ENTERPRISE)
        .filter(invitations__enterprise=enterprise, end_date__gte=today)
        .select_related("module")
        .distinct()
        .order_by("start_date")[:20]
    )
    visits = (
        scope(user, ConsultingVisit.objects.all(), Perm.ENTERPRISE)
        .filter(enrolment__enterprise=enterprise, status=ConsultingVisit.Status.PLANNED)
        .select_related("enrolment__module", "trainer")
        .order_by("planned_date")[:20]
    )
    return {"workshops": list(workshops), "visits": list(visits)}


def actions(user, enterprise: Enterprise):
    return (
        scope(user, VisitAction.objects.all(), Perm.ENTERPRISE)
        .filter(visit__enrolment__enterprise=enterprise)
        .select_related("visit__enrolment__module")
        .prefetch_related("progress_reports")
        .order_by("status", "due_date", "pk")
    )


def action_get(user, pk: int) -> VisitAction:
    action = (
        scope(user, VisitAction.objects.select_related("visit"), Perm.SUBMIT).filter(pk=pk).first()
    )
    if action is None:
        raise Http404
    return action


def kpi_trends(user, enterprise: Enterprise) -> list[dict]:
    """Readings per KPI, oldest first: one row per KPI with its readings."""
    readings = (
        scope(user, KPIReading.objects.all(), Perm.ENTERPRISE)
        .filter(enterprise=enterprise)
        .select_related("kpi")
        .order_by("kpi__order", "period_end", "pk")
    )
    by_kpi: dict = defaultdict(list)
    kpis = {}
    for reading in readings:
        by_kpi[reading.kpi_id].append(reading)
        kpis[reading.kpi_id] = reading.kpi
    return [{"kpi": kpis[kpi_id], "readings": rows} for kpi_id, rows in by_kpi.items()]


def projects(user, enterprise: Enterprise):
    return (
        scope(user, ImprovementProject.objects.all(), Perm.ENTERPRISE)
        .filter(enterprise=enterprise)
        .select_related("module")
    )


def suggestions(user, enterprise: Enterprise):
    return scope(user, SuggestionCount.objects.all(), Perm.ENTERPRISE).filter(
        enterprise=enterprise
    )[:24]


def certificates(user, enterprise: Enterprise):
    return (
        scope(user, IssuedCertificate.objects.all(), Perm.ENTERPRISE)
        .filter(participant__enrolment__enterprise=enterprise)
        .select_related("module")
    )


def report_runs(user, enterprise: Enterprise):
    return scope(user, ReportRun.objects.all(), Perm.ENTERPRISE).filter(
        enterprise=enterprise, kind=ReportRun.Kind.ENTERPRISE
    )[:20]


def group_report_runs(user, group):
    """The reports of one of the contact's groups (``GROUP_PATH``: a group report has no
    enterprise for ``ENTERPRISE_PATH`` to reach)."""
    return scope(user, ReportRun.objects.all(), Perm.ENTERPRISE).filter(
        kind=ReportRun.Kind.GROUP, group=group
    )[:20]


def report_run_get(user, pk) -> ReportRun:
    """A report the contact may download: their enterprises' and their groups' only."""
    return get_for_user(
        user,
        ReportRun.objects.filter(kind__in=[ReportRun.Kind.ENTERPRISE, ReportRun.Kind.GROUP]),
        Perm.ENTERPRISE,
        pk=pk,
    )


def returned_readings(user, enterprise: Enterprise) -> list:
    """The readings the enterprise submitted that the programme returned for revision, with
    their comments (oldest first)."""
    return list(
        scope(user, KPIReading.objects.all(), Perm.ENTERPRISE)
        .filter(enterprise=enterprise, source=KPIReading.Source.ENTERPRISE)
        .filter(returned_at__isnull=False, verified_at__isnull=True)
        .select_related("kpi")
        .prefetch_related("comments__author")
        .order_by("returned_at")
    )


def returned_reading_get(user, enterprise: Enterprise, pk: int) -> KPIReading:
    for reading in returned_readings(user, enterprise):
        if reading.pk == pk:
            return reading
    raise Http404


def assessment_overview(user, enterprise: Enterprise) -> list[dict]:
    """Per module with a checklist (the enterprise's own modules first): its assessments and
    whether a baseline exists yet."""
    from django.db.models import Exists, OuterRef

    from catalogue.models import ChecklistVersion, Module
    from enterprises.models import Assessment, Enrolment

    enrolled = Enrolment.objects.filter(enterprise=enterprise, module=OuterRef("pk"))
    modules = (
        Module.objects.filter(
            Exists(ChecklistVersion.objects.filter(module=OuterRef("pk"))), is_active=True
        )
        .annotate(enrolled=Exists(enrolled))
        .order_by("-enrolled", "order", "code")
    )
    assessments: dict = defaultdict(list)
    for assessment in (
        Assessment.objects.filter(enterprise=enterprise)
        .select_related("author")
        .order_by("assessed_on", "pk")
    ):
        assessments[assessment.module_id].append(assessment)
    return [
        {
            "module": module,
            "assessments": assessments[module.pk],
            "has_baseline": any(a.kind == Assessment.Kind.BASELINE for a in assessments[module.pk]),
        }
        for module in modules
        if module.enrolled or assessments[module.pk]
    ]
