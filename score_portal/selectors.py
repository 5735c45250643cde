"""Reads for partners and people, always for a given user."""

from django.db.models import Count, Q, QuerySet

from .access import Perm, partners_for
from .models import Partner, Role


def partner_list(user, perm: str = Perm.VIEW) -> QuerySet[Partner]:
    """Partners the user may see, with their team counted by role (one query)."""
    counts = {
        f"n_{role.value}": Count("memberships", filter=Q(memberships__role=role))
        for role in (Role.PARTNER_MANAGER, Role.PARTNER_STAFF, Role.TRAINER)
    }
    return partners_for(user, perm).filter(is_active=True).annotate(**counts).order_by("code")


def profile_of(user):
    """The user's preferences, or ``None`` before they set any (one query)."""
    from .models import Profile

    if user is None or not user.is_authenticated:
        return None
    from django.contrib.auth import get_user_model

    if get_user_model().profile.is_cached(user):  # loaded with the user (score_portal.auth)
        try:
            return user.profile
        except Profile.DoesNotExist:
            return None
    return Profile.objects.filter(user=user).select_related("default_partner").first()


def partners_managed(user) -> QuerySet[Partner]:
    """Partners whose people the user administers (active or not), team counted by role."""
    counts = {
        f"n_{role.value}": Count("memberships", filter=Q(memberships__role=role))
        for role in (Role.PARTNER_MANAGER, Role.PARTNER_STAFF, Role.TRAINER)
    }
    return partners_for(user, Perm.MANAGE_PEOPLE).annotate(**counts).order_by("code")


def people_at(user, partner: Partner):
    """Who has access at ``partner`` (among the partners ``user`` administers)."""
    from .models import Membership

    return (
        Membership.objects.filter(
            partner=partner, partner__in=partners_for(user, Perm.MANAGE_PEOPLE)
        )
        .select_related("user", "enterprise", "group")
        .order_by("role", "user__last_name", "user__username")
    )


def access_history(user, partner: Partner, limit: int = 20):
    """The latest grants, role changes and revocations at ``partner``, with their authors."""
    from .models import Membership

    if not partners_for(user, Perm.MANAGE_PEOPLE).filter(pk=partner.pk).exists():
        return []
    return list(
        Membership.history.filter(partner_id=partner.pk)
        .select_related("user", "history_user")
        .order_by("-history_date")[:limit]
    )
