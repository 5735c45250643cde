"""Writes for API tokens: create (the secret is returned once and never stored), revoke, and
the look-up the authentication class makes for every request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for
from score_portal.memberships import may_grant, membership_grant, membership_revoke
from score_portal.models import Membership, Partner, Role
from score_portal.services import save_as

from .models import PREFIX_LENGTH, ApiToken

TOKEN_START = "score"  # noqa: S105  (the public start of every token, not a secret)
MAX_DAYS = 366
SERVICE_ROLES = (Role.PARTNER_MANAGER, Role.PARTNER_STAFF)  # read-only, or read and write
# last_used_at is written at most this often per token (not one UPDATE per request)
TOUCH_EVERY = timedelta(minutes=1)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return prefix, f"{TOKEN_START}_{prefix}_{secrets.token_urlsafe(32)}"


def may_create_service_token(user, partner: Partner, role: str) -> bool:
    return role in SERVICE_ROLES and may_grant(user, role, partner)


@transaction.atomic
def token_create(
    *,
    acting_user,
    name: str,
    days: int,
    kind: str = ApiToken.Kind.PERSONAL,
    partner: Partner | None = None,
    role: str = "",
) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is shown once and stored only as
    its SHA-256 digest. A personal token acts as ``acting_user`` (who must hold a role); a
    service token creates a service user holding ``role`` at ``partner`` (the acting user
    must be allowed to grant that role there) and acts as it."""
    access = access_for(acting_user)
    if not access.has_perm(Perm.VIEW):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(max)d days.") % {"max": MAX_DAYS}}
        )
    prefix, raw = _new_secret()
    user = acting_user
    if kind == ApiToken.Kind.SERVICE:
        if partner is None:
            raise ValidationError({"partner": _("Choose the partner.")})
        if not may_create_service_token(acting_user, partner, role):
            raise PermissionDenied
        user = get_user_model().objects.create_user(
            username=f"service-{partner.code}-{prefix}".lower()[:150],
            first_name=name[:150],
            password=None,  # no password: a service user never logs in
        )
        membership_grant(acting_user=acting_user, user=user, partner=partner, role=role)
    elif kind != ApiToken.Kind.PERSONAL:
        raise ValidationError({"kind": _("Choose personal or service.")})
    else:
        partner = None
    token = ApiToken(
        name=name,
        kind=kind,
        user=user,
        partner=partner,
        created_by=acting_user,
        prefix=prefix,
        digest=digest_of(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    save_as(token, acting_user)
    return token, raw


def may_revoke(user, token: ApiToken) -> bool:
    if token.kind == ApiToken.Kind.PERSONAL:
        return token.user_id == user.pk
    role = (
        Membership.objects.filter(user_id=token.user_id, partner_id=token.partner_id)
        .values_list("role", flat=True)
        .first()
    )
    return may_grant(user, role or Role.PARTNER_STAFF, token.partner)


@transaction.atomic
def token_revoke(*, acting_user, token: ApiToken) -> ApiToken:
    """Revoke a token at once; a service token's user loses its membership too."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not may_revoke(acting_user, token):
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    token.revoked_at, token.revoked_by = timezone.now(), acting_user
    save_as(token, acting_user)
    if token.kind == ApiToken.Kind.SERVICE:
        for membership in Membership.objects.filter(user_id=token.user_id):
            membership_revoke(acting_user=acting_user, membership=membership)
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token with this secret, or None (unknown, expired, revoked, inactive user).
    Compares digests in constant time and notes the last use (at most once a minute)."""
    parts = raw.split("_", 2)  # the secret itself may contain "_"
    if len(parts) != 3 or parts[0] != TOKEN_START:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.digest, digest_of(raw)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        # Bookkeeping, not a change of the record: no history row, no author.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
