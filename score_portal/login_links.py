"""One-time login links by e-mail: the "send me a login link" form of the login page.

* The answer never says whether the address has a login (no user enumeration): the same
  message, the same mail-less row for an unknown address.
* Rate limits: ``LOGIN_LINK_PER_ADDRESS`` requests per address and ``LOGIN_LINK_PER_IP``
  per client address within ``LOGIN_LINK_WINDOW``; beyond, nothing is sent (same answer).
* A link works once (a conditional update spends it) and for ``LOGIN_LINK_TIMEOUT``
  seconds; only its SHA-256 digest is stored. Opening the link shows a button: the login
  happens on POST, so mail scanners that follow links do not spend it.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from .models import LoginLink


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _email_digest(email: str) -> str:
    return _digest(email.strip().lower())


def _throttled(email_digest: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LINK_WINDOW)
    recent = LoginLink.objects.filter(created_at__gte=since)
    if recent.filter(email_digest=email_digest).count() >= settings.LOGIN_LINK_PER_ADDRESS:
        return True
    return bool(ip) and recent.filter(ip_address=ip).count() >= settings.LOGIN_LINK_PER_IP


@transaction.atomic
def login_link_request(*, email: str, ip: str | None, build_url) -> bool:
    """Send a login link to ``email`` if it is an active login's address and the limits
    allow. ``build_url(path)`` makes the absolute link. Returns whether a mail went out
    (for tests and logs only: the page never shows it)."""
    email_digest = _email_digest(email)
    if _throttled(email_digest, ip):
        return False
    expires = timezone.now() + timedelta(seconds=settings.LOGIN_LINK_TIMEOUT)
    users = list(
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True)
        .select_related("profile")
        .order_by("pk")[:2]
    )
    if len(users) != 1:  # no login, or an address two logins share: nothing to send
        LoginLink.objects.create(email_digest=email_digest, ip_address=ip, expires_at=expires)
        return False
    user = users[0]
    token = secrets.token_urlsafe(32)
    LoginLink.objects.create(
        user=user,
        email_digest=email_digest,
        ip_address=ip,
        token_digest=_digest(token),
        expires_at=expires,
    )
    profile = getattr(user, "profile", None)
    language = (profile.language if profile else "") or "en"
    context = {
        "user": user,
        "url": build_url(reverse("login-link", kwargs={"token": token})),
        "minutes": max(1, settings.LOGIN_LINK_TIMEOUT // 60),
    }
    with override(language):
        subject = render_to_string("registration/login_link_subject.txt", context).strip()
        body = render_to_string("registration/login_link_email.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
    return True


def login_link_valid(token: str) -> LoginLink | None:
    """The unspent, unexpired link of ``token`` (nothing is changed)."""
    if not token or len(token) > 100:
        return None
    return (
        LoginLink.objects.select_related("user")
        .filter(
            token_digest=_digest(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def login_link_spend(token: str):
    """Spend the link once: the user it logs in, or ``None`` when it is wrong, expired or
    already used (two clicks at once: only one conditional update wins)."""
    link = login_link_valid(token)
    if link is None:
        return None
    spent = LoginLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return link.user if spent else None
