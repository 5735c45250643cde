"""Reads for reports, always for a given user."""

from django.db.models import QuerySet

from enterprises.models import Enterprise, EnterpriseGroup
from score_portal.access import Perm, access_for, get_for_user, partners_for, scope
from score_portal.models import Partner

from .models import ReportRun


def report_run_list(user, *, limit: int = 50) -> QuerySet[ReportRun]:
    """Runs the user may download: their partners' runs; programme managers see all runs,
    and only they see programme reports (which have no partner)."""
    runs = scope(user, ReportRun.objects.all(), Perm.REPORTS)
    return runs.select_related(
        "partner", "enterprise", "workshop", "group", "requested_by"
    ).order_by("-created_at")[:limit]


def report_run_get(user, pk, perm: str = Perm.REPORTS) -> ReportRun:
    """One run: 404 when out of the user's scope, 403 without the reports permission."""
    return get_for_user(
        user, ReportRun.objects.select_related("partner", "enterprise"), perm, pk=pk
    )


def report_partners(user) -> QuerySet[Partner]:
    """Partners the user may request reports for."""
    return partners_for(user, Perm.REPORTS).filter(is_active=True).order_by("code")


def report_enterprises(user) -> QuerySet[Enterprise]:
    """Enterprises the user may request an enterprise report for."""
    return (
        scope(user, Enterprise.objects.all(), Perm.REPORTS)
        .select_related("partner")
        .order_by("partner__code", "name")
    )


def report_groups(user) -> QuerySet[EnterpriseGroup]:
    """Enterprise groups the user may request a group report for."""
    return (
        scope(user, EnterpriseGroup.objects.all(), Perm.REPORTS)
        .select_related("partner")
        .order_by("partner__code", "name")
    )


def may_request_programme_report(user) -> bool:
    return access_for(user).sees_all(Perm.REPORTS)
