"""Reads for the data review loop: the staff's review queue (filtered by enterprise, KPI,
trainer and status), a reading's comment thread, and the readings returned to their author."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from catalogue.models import KPIDefinition
from score_portal.access import Perm, access_for, scope, trainer_q
from score_portal.models import Membership, Role

from ..models import Enterprise, KPIReading, ReadingComment


def _with_review(readings: QuerySet) -> QuerySet:
    """Readings with what a review list shows, in one query: enterprise, KPI, the people,
    and the latest comment (``last_comment``, ``last_comment_kind``)."""
    latest = ReadingComment.objects.filter(reading=OuterRef("pk")).order_by("-created", "-pk")
    return readings.select_related(
        "enterprise", "kpi", "recorded_by", "edited_by", "verified_by", "returned_by"
    ).annotate(
        last_comment=Subquery(latest.values("text")[:1]),
        last_comment_kind=Subquery(latest.values("kind")[:1]),
    )


def review_enterprises(user) -> QuerySet[Enterprise]:
    """The enterprises whose readings the user may verify."""
    return scope(user, Enterprise.objects.all(), Perm.VERIFY).order_by("name")


def review_trainers(user) -> QuerySet:
    """The trainer logins of the partners where the user verifies (the queue's filter)."""
    partner_ids = access_for(user).partner_ids_with(Perm.VERIFY, trainer=False)
    trainers = Membership.objects.filter(role=Role.TRAINER, partner_id__in=partner_ids)
    return (
        get_user_model()
        .objects.filter(pk__in=trainers.values("user_id"), is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def review_queue(
    user,
    *,
    status: str | None = KPIReading.Review.WAITING,
    enterprise: Enterprise | None = None,
    kpi: KPIDefinition | None = None,
    trainer=None,
) -> QuerySet[KPIReading]:
    """The readings the user may review (partner staff: their partners'), by default those
    waiting for review, oldest first; ``status`` None lists every status. ``trainer`` (a
    trainer's user) keeps the readings they entered or that belong to an enterprise they
    are assigned to. One query (plus a count when paginated), whatever the number."""
    readings = scope(user, KPIReading.objects.all(), Perm.VERIFY)
    if status:
        readings = readings.filter(KPIReading.review_q(status))
    if enterprise is not None:
        readings = readings.filter(enterprise=enterprise)
    if kpi is not None:
        readings = readings.filter(kpi=kpi)
    if trainer is not None:
        partner_ids = access_for(user).partner_ids_with(Perm.VERIFY, trainer=False)
        readings = readings.filter(
            Q(recorded_by=trainer) | trainer_q(KPIReading, trainer.pk, partner_ids)
        )
    return _with_review(readings).order_by("recorded_at", "pk")


def review_counts(user) -> dict[str, int]:
    """Readings waiting for review and returned for revision in the user's review scope."""
    from django.db.models import Count

    return scope(user, KPIReading.objects.all(), Perm.VERIFY).aggregate(
        waiting=Count("pk", filter=KPIReading.review_q(KPIReading.Review.WAITING)),
        returned=Count("pk", filter=KPIReading.review_q(KPIReading.Review.RETURNED)),
    )


def returned_to(user, limit: int = 20) -> list[KPIReading]:
    """Readings returned for revision that the user entered and may answer, with the
    return's comment (``last_comment``): the author's to-do on their home page."""
    readings = scope(user, KPIReading.objects.all(), Perm.RECORD).filter(
        KPIReading.review_q(KPIReading.Review.RETURNED), recorded_by=user
    )
    return list(_with_review(readings).order_by("returned_at", "pk")[:limit])


def reading_get(user, enterprise: Enterprise, reading_pk: int) -> KPIReading:
    """One reading of an enterprise the user may see (404 otherwise), with its people."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        KPIReading.objects.select_related(
            "kpi", "enterprise", "recorded_by", "edited_by", "verified_by", "returned_by"
        ).prefetch_related(
            Prefetch("comments", queryset=ReadingComment.objects.select_related("author"))
        ),
        pk=reading_pk,
        enterprise=enterprise,
    )
