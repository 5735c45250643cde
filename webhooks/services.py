"""Writes for webhooks: register and delete endpoints (partner managers and programme
managers), send a delivery again, and the one try of a delivery the worker makes."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for
from score_portal.events import EVENTS
from score_portal.models import Partner
from score_portal.services import delete_as, save_as

from . import sending, signing
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .outbox import OBJECT_TYPES
from .urlcheck import checked_target

SECRET_START = "whsec_"  # noqa: S105  (the public start of every secret)


def may_manage(user, partner_id: int | None) -> bool:
    access = access_for(user)
    if partner_id is None:
        return access.sees_all(Perm.MANAGE_WEBHOOKS)
    return access.has_perm(Perm.MANAGE_WEBHOOKS, partner_id)


@transaction.atomic
def webhook_endpoint_create(
    *,
    acting_user,
    partner: Partner | None,
    url: str,
    objects_subscribed,
    events,
    description: str = "",
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its signing secret (shown once). ``partner``
    None (every partner) is for programme managers only."""
    if not may_manage(acting_user, partner.pk if partner else None):
        raise PermissionDenied
    objects_subscribed = [o for o in OBJECT_TYPES if o in set(objects_subscribed or ())]
    events = [e for e in EVENTS if e in set(events or ())]
    errors = {}
    if not objects_subscribed:
        errors["objects_subscribed"] = _("Choose at least one kind of record.")
    if not events:
        errors["events"] = _("Choose at least one event.")
    try:
        checked_target((url or "").strip())
    except ValidationError as exc:
        errors["url"] = exc.messages
    if errors:
        raise ValidationError(errors)
    secret = SECRET_START + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint(
        partner=partner,
        url=url.strip(),
        description=(description or "").strip(),
        objects_subscribed=objects_subscribed,
        events=events,
        secret=secret,
        created_by=acting_user,
    )
    endpoint.full_clean()
    save_as(endpoint, acting_user)
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_delete(*, acting_user, endpoint: WebhookEndpoint) -> None:
    """Delete an endpoint and its delivery log; deliveries waiting are not sent."""
    if not may_manage(acting_user, endpoint.partner_id):
        raise PermissionDenied
    delete_as(endpoint, acting_user)


@transaction.atomic
def webhook_delivery_resend(*, acting_user, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, as a new delivery with the same event id and the same body:
    the record as it was at the event, not as it is now."""
    if not may_manage(acting_user, delivery.endpoint.partner_id):
        raise PermissionDenied
    if not delivery.endpoint.is_active:
        raise ValidationError(_("This endpoint is switched off."))
    again = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        event_id=delivery.event_id,
        object_type=delivery.object_type,
        object_id=delivery.object_id,
        event=delivery.event,
        occurred_at=delivery.occurred_at,
        body=delivery.body,
        requested_by=acting_user,
        resent_from=delivery,
    )
    WebhookDelivery.enqueue_on_commit(again.pk)
    return again


def backoff_seconds(tries_done: int) -> float:
    """Wait before the next try: base × 4^(n−1) after the n-th (30 s, 2 min, 8 min, 32 min,
    about 2 h with the default base)."""
    return settings.WEBHOOKS_RETRY_BASE_SECONDS * 4 ** max(tries_done - 1, 0)


def webhook_delivery_try(pk) -> float | None:
    """The worker's one try of a delivery: claim it (a duplicate message does nothing), post
    it signed, log the try. Returns the seconds to wait before the next try, or None when
    it is delivered, failed for good, or not this worker's to send."""
    if not WebhookDelivery.claim(pk):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=pk)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        WebhookDelivery.fail(pk, _("The endpoint was switched off."))
        return None
    body = delivery.body.encode()
    outcome = sending.post(
        endpoint.url,
        body,
        {
            signing.HEADER: signing.signature_header(endpoint.secret, body),
            "X-Score-Event": delivery.event_name,
            "X-Score-Delivery": str(delivery.event_id),
            "X-Score-Attempt": str(delivery.attempts),
        },
    )
    WebhookAttempt.objects.create(
        delivery_id=pk,
        number=delivery.attempts,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )
    if outcome.ok:
        WebhookDelivery.finish(
            pk,
            status=WebhookDelivery.Status.DELIVERED,
            response_status=outcome.status_code,
            next_attempt_at=None,
        )
        return None
    if delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        WebhookDelivery.fail(
            pk,
            _("Not delivered after %(n)d tries. Last answer: %(error)s")
            % {"n": delivery.attempts, "error": outcome.error},
            response_status=outcome.status_code,
            next_attempt_at=None,
        )
        return None
    wait = backoff_seconds(delivery.attempts)
    WebhookDelivery.objects.filter(pk=pk, status=WebhookDelivery.Status.RUNNING).update(
        status=WebhookDelivery.Status.PENDING,
        error=outcome.error,
        response_status=outcome.status_code,
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
    )
    return wait
