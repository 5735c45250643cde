"""Reads for enterprises, always for a given user and already scoped."""

import datetime
from decimal import Decimal
from statistics import median

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from score_portal.access import Perm, access_for, scope

from ..models import EITMember, Enrolment, Enterprise, ImprovementProject


def enterprise_list(user, perm: str = Perm.VIEW) -> QuerySet[Enterprise]:
    """Enterprises the user may see, with partner and enrolments (and their modules) loaded in
    a fixed number of queries."""
    return (
        scope(user, Enterprise.objects.all(), perm)
        .select_related("partner")
        .prefetch_related(
            Prefetch(
                "enrolments",
                to_attr="enrolments_loaded",
                queryset=Enrolment.objects.select_related("module").order_by("module__order"),
            )
        )
    )


def enterprise_get(user, pk: int, perm: str = Perm.VIEW) -> Enterprise:
    from score_portal.access import get_for_user

    return get_for_user(user, Enterprise.objects.select_related("partner"), perm, pk=pk)


def eit_members(enterprise: Enterprise) -> list[EITMember]:
    return list(enterprise.eit_members.all())


def eit_active_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """The one definition of an active EIT member on a date (today by default): started on
    or before it (or no start recorded) and not ended before it. Used by the programme
    indicators, the reports and the visit form; ``eit_member_is_active`` is its Python twin."""
    on = on or timezone.localdate()
    return (
        Q(**{f"{prefix}active_from__isnull": True}) | Q(**{f"{prefix}active_from__lte": on})
    ) & (Q(**{f"{prefix}active_to__isnull": True}) | Q(**{f"{prefix}active_to__gte": on}))


def eit_member_is_active(member: EITMember, on: datetime.date | None = None) -> bool:
    on = on or timezone.localdate()
    return (member.active_from is None or member.active_from <= on) and (
        member.active_to is None or member.active_to >= on
    )


def eit_summary(members: list[EITMember]) -> dict:
    active = [m for m in members if eit_member_is_active(m)]
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
        start = (start.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    rows = list(enterprise.suggestion_counts.filter(month__gte=start).order_by("month"))
    totals = enterprise.suggestion_counts.aggregate(
        made=Sum("made"), implemented=Sum("implemented")
    )
    return {"rows": rows, "made": totals["made"] or 0, "implemented": totals["implemented"] or 0}


def recent_projects(enterprise: Enterprise, limit: int = 10) -> list[ImprovementProject]:
    return list(enterprise.projects.select_related("module")[:limit])


def project_savings(projects: QuerySet) -> list[dict]:
    """Improvement projects and their savings, per currency (sums never mix currencies):
    count, completed, estimated total, realised total and median realised saving. Realised
    savings count only completed projects (as on the enterprise page). Two queries whatever
    the number of projects."""
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
    done = Q(status=ImprovementProject.Status.COMPLETED)
    rows = list(
        projects.order_by()
        .values("currency")
        .annotate(
            projects=Count("id"),
            completed=Count("id", filter=done),
            estimated=Coalesce(Sum("estimated_saving"), zero),
            realised=Coalesce(Sum("realised_saving", filter=done), zero),
        )
        .order_by("currency")
    )
    realised_values: dict[str, list[Decimal]] = {}
    for currency, value in (
        projects.order_by()
        .filter(done, realised_saving__isnull=False)
        .values_list("currency", "realised_saving")
    ):
        realised_values.setdefault(currency, []).append(value)
    for row in rows:
        values = realised_values.get(row["currency"])
        row["median_realised"] = (
            Decimal(median(values)).quantize(Decimal("0.01")) if values else None
        )
    return rows


def eit_composition(members: QuerySet) -> dict:
    """Size of Enterprise Improvement Teams and the shares of women and of workers."""
    counts = members.order_by().aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(sex="F")),
        workers=Count("id", filter=Q(level="worker")),
    )
    total = counts["total"]
    counts["share_women"] = round(counts["women"] / total, 4) if total else None
    counts["share_workers"] = round(counts["workers"] / total, 4) if total else None
    return counts


def likely_duplicates(user, enterprise: Enterprise) -> list[tuple[Enterprise, str]]:
    """The partner's other enterprises that may be the same one (similar name, same phone
    or address), for staff who may change them (and merge them); empty for anyone else."""
    from django.utils.translation import gettext as _

    from ..transfer.columns import normalise
    from ..transfer.duplicates import name_core, phone_key

    if not access_for(user).has_perm(Perm.CHANGE, enterprise.partner_id):
        return []
    core, phone = name_core(enterprise.name), phone_key(enterprise.phone)
    address = normalise(enterprise.address) if len(enterprise.address) >= 6 else ""
    found = []
    others = scope(user, Enterprise.objects.filter(partner_id=enterprise.partner_id), Perm.CHANGE)
    for other in others.exclude(pk=enterprise.pk).only("pk", "name", "phone", "address"):
        if core and name_core(other.name) == core:
            found.append((other, _("a similar name")))
        elif phone and phone_key(other.phone) == phone:
            found.append((other, _("the same phone")))
        elif address and normalise(other.address) == address:
            found.append((other, _("the same address")))
    return found[:10]


def merge_candidates(user, enterprise: Enterprise, requested=None) -> QuerySet[Enterprise]:
    """The records staff may merge into ``enterprise``: its likely duplicates, and the one
    named in the address (``requested``), if it is another enterprise of the same partner
    that the user may change. Anything else is not offered (and refused if posted)."""
    ids = {other.pk for other, _reason in likely_duplicates(user, enterprise)}
    if requested is not None and str(requested).isdigit():
        ids.add(int(requested))
    ids.discard(enterprise.pk)
    return (
        scope(user, Enterprise.objects.filter(partner_id=enterprise.partner_id), Perm.CHANGE)
        .filter(pk__in=ids)
        .order_by("name")
    )
