"""Reads for enterprises, always for a given user and already scoped."""

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from score_portal.access import Perm, scope

from .models import EITMember, Enterprise, ImprovementProject


def enterprise_list(user, perm: str = Perm.VIEW) -> QuerySet[Enterprise]:
    """Enterprises the user may see, with partner and enrolments (and their modules) loaded in
    a fixed number of queries. Enrolments live one layer up; they are reached by name only."""
    return scope(user, Enterprise.objects.all(), perm).select_related("partner").prefetch_related(
        Prefetch("enrolments", to_attr="enrolments_loaded",
                 queryset=apps.get_model("workshops", "Enrolment").objects
                 .select_related("module").order_by("module__order")))


def enterprise_get(user, pk: int, perm: str = Perm.VIEW) -> Enterprise:
    from score_portal.access import get_for_user

    return get_for_user(user, Enterprise.objects.select_related("partner"), perm, pk=pk)


def eit_members(enterprise: Enterprise) -> list[EITMember]:
    return list(enterprise.eit_members.all())


def eit_summary(members: list[EITMember]) -> dict:
    active = [m for m in members if m.is_active]
    return {
        "active": len(active),
        "women": sum(1 for m in active if m.sex == EITMember.Sex.FEMALE),
        "workers": sum(1 for m in active if m.level == EITMember.Level.WORKER),
        "has_leader": any(m.role == EITMember.Role.LEADER for m in active),
        "has_secretary": any(m.role == EITMember.Role.SECRETARY for m in active),
    }


def project_summary(enterprise: Enterprise) -> dict:
    """Projects by status and savings, in one aggregate query."""
    done = ImprovementProject.Status.COMPLETED
    return enterprise.projects.aggregate(
        total=Count("id"),
        completed=Count("id", filter=Q(status=done)),
        in_progress=Count("id", filter=Q(status=ImprovementProject.Status.IN_PROGRESS)),
        estimated=Sum("estimated_saving"),
        realised=Sum("realised_saving", filter=Q(status=done)),
    )


def suggestion_summary(enterprise: Enterprise, months: int = 12) -> dict:
    """Suggestions made and implemented: the last ``months`` months and in total."""
    today = timezone.localdate()
    start = today.replace(day=1)
    for _ in range(months - 1):
        start = (start.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    rows = list(enterprise.suggestion_counts.filter(month__gte=start).order_by("month"))
    totals = enterprise.suggestion_counts.aggregate(made=Sum("made"),
                                                    implemented=Sum("implemented"))
    return {"rows": rows, "made": totals["made"] or 0,
            "implemented": totals["implemented"] or 0}


def recent_projects(enterprise: Enterprise, limit: int = 10) -> list[ImprovementProject]:
    return list(enterprise.projects.select_related("module")[:limit])

