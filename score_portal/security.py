"""Helpers for login throttling (django-axes): which address counts, and the lockout page."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render


def client_ip(request) -> str | None:
    """The address login throttling counts failures against.

    Behind our TLS proxy (``BEHIND_TLS_PROXY``) gunicorn sees only the proxy, so we take the
    right-most ``X-Forwarded-For`` entry: the one the proxy appended itself. Entries further
    left come from the client and could be forged to dodge the lockout.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def client_username(request, credentials=None) -> str | None:
    """The username login throttling counts failures against, as django-axes reads it, cut
    to the longest username a user can have.

    Axes stores it in a 255-character column: a longer one, posted by hand, answered 500 on
    PostgreSQL instead of "wrong username or password"."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(field)
    if not isinstance(username, str):
        return username
    return username[:get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length]


def lockout_response(request, original_response=None, credentials=None):
    """A translated page explaining the lockout, with 429 Too Many Requests (not a bare 403)."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60) if cooloff else None
    return render(request, "registration/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
    }, status=429)
