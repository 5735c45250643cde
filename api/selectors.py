"""Reads for API tokens, always for a given user."""

from django.db.models import Q, QuerySet

from score_portal.access import Perm, access_for
from score_portal.models import Partner, Role

from .models import ApiToken
from .services import SERVICE_ROLES


def token_list(user) -> QuerySet[ApiToken]:
    """The user's own personal tokens and the service tokens of the partners whose people
    they manage."""
    access = access_for(user)
    service = Q(kind=ApiToken.Kind.SERVICE)
    if not access.programme:
        service &= Q(partner_id__in=access.partner_ids_with(Perm.MANAGE_PEOPLE))
    return (
        ApiToken.objects.filter(Q(kind=ApiToken.Kind.PERSONAL, user=user) | service)
        .select_related("partner", "user", "created_by")
        .order_by("-created_at")
    )


def service_token_choices(user) -> tuple[QuerySet[Partner], list[str]]:
    """Partners the user may create service tokens for, and the roles such a token may hold."""
    access = access_for(user)
    partners = Partner.objects.filter(is_active=True).order_by("code")
    if not access.programme:
        partners = partners.filter(pk__in=access.partner_ids_with(Perm.MANAGE_PEOPLE))
    if access.programme:
        return partners, list(SERVICE_ROLES)
    # partner managers grant staff roles, not their own (score_portal.memberships)
    return partners, [Role.PARTNER_STAFF] if partners.exists() else []


def token_get(user, pk) -> ApiToken:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(token_list(user), pk=pk)
