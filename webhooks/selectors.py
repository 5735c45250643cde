"""Reads for the webhook pages: the endpoints a user may manage (out of scope → 404, a role
without the permission → 403), with their delivery log."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q

from score_portal.access import Perm, access_for, get_for_user, partners_for, scope

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

LOG_ROWS = 50


def _require(user) -> None:
    if not access_for(user).has_perm(Perm.MANAGE_WEBHOOKS):
        raise PermissionDenied


def webhook_partner_choices(user):
    """Partners whose endpoints the user may register."""
    return partners_for(user, Perm.MANAGE_WEBHOOKS).filter(is_active=True).order_by("code")


def webhook_endpoint_list(user):
    _require(user)
    endpoints = scope(user, WebhookEndpoint.objects.all(), Perm.MANAGE_WEBHOOKS)
    return endpoints.select_related("partner").annotate(
        delivered=Count("deliveries", filter=Q(deliveries__status="delivered")),
        failed=Count("deliveries", filter=Q(deliveries__status="failed")),
        waiting=Count("deliveries", filter=Q(deliveries__status__in=["pending", "running"])),
    )


def webhook_endpoint_get(user, pk) -> WebhookEndpoint:
    """Outside the user's partners → 404; in scope without the permission → 403."""
    return get_for_user(
        user, WebhookEndpoint.objects.select_related("partner"), Perm.MANAGE_WEBHOOKS, pk=pk
    )


def webhook_delivery_log(endpoint: WebhookEndpoint, limit: int = LOG_ROWS) -> list:
    return list(
        endpoint.deliveries.select_related("requested_by")
        .prefetch_related(Prefetch("attempts_log", queryset=WebhookAttempt.objects.all()))
        .order_by("-created_at", "-id")[:limit]
    )


def webhook_delivery_get(user, pk) -> WebhookDelivery:
    return get_for_user(
        user,
        WebhookDelivery.objects.select_related("endpoint", "endpoint__partner"),
        Perm.MANAGE_WEBHOOKS,
        pk=pk,
    )
