"""Helpers for login throttling (django-axes): which address counts, and the lockout page."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
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


class AddressAwareAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second, higher limit per address.

    ``AXES_LOCKOUT_PARAMETERS`` counts failures per username+address and per address alone,
    but axes compares every count with the one ``AXES_FAILURE_LIMIT``. Here the per-address
    count is scaled so that it reaches that limit exactly at ``AXES_ADDRESS_FAILURE_LIMIT``:
    five wrong passwords for one account lock that account at that address; twenty across
    any usernames lock the address. A successful login clears only its own username's
    failures, so one valid account cannot wipe an address's record of spraying."""

    def _parameter_attempts(self, request, credentials):
        parameters = get_client_parameters(
            get_client_username(request, credentials),
            request.axes_ip_address,
            request.axes_user_agent,
            request,
            credentials,
        )
        return list(zip(parameters, self.get_user_attempts(request, credentials), strict=True))

    def get_failures(self, request, credentials=None) -> int:
        limit = settings.AXES_FAILURE_LIMIT
        address_limit = max(settings.AXES_ADDRESS_FAILURE_LIMIT, limit)
        worst = 0
        for parameters, attempts in self._parameter_attempts(request, credentials):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if "username" not in parameters:
                count = count * limit // address_limit
            worst = max(worst, count)
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        count = 0
        for parameters, attempts in zip(
            get_client_parameters(
                get_client_username(request, credentials),
                request.axes_ip_address,
                request.axes_user_agent,
                request,
                credentials,
            ),
            self.filter_user_attempts(request, credentials),
            strict=True,
        ):
            if "username" in parameters:
                count += attempts.delete()[0]
        return count


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
    field = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD)
    return username[: getattr(field, "max_length", None) or 150]


def lockout_response(request, original_response=None, credentials=None):
    """A translated page explaining the lockout, with 429 Too Many Requests (not a bare 403)."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60) if cooloff else None
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": minutes,
        },
        status=429,
    )
