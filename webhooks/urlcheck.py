"""Where a webhook may be sent (SSRF guard): https only (http only where
``WEBHOOKS_ALLOW_HTTP``), no user or password in the URL, and a host whose every address is
a public one (no private, loopback, link-local, multicast or reserved address) unless
``WEBHOOKS_ALLOW_PRIVATE`` (development and tests; never in production). The check runs when
an endpoint is saved and again before every try, on the addresses the connection then uses
(a name that starts resolving to an inside address is refused)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(
            _("The host %(host)s of this URL cannot be found.") % {"host": host}, code="dns"
        ) from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def checked_target(url: str) -> tuple[str, str, int, list[str]]:
    """``(scheme, host, port, addresses)`` of a URL a delivery may go to, or a
    ValidationError saying why not (in the active language)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError(_("Enter a valid URL."), code="invalid") from None
    scheme = (parts.scheme or "").lower()
    allowed = {"https", "http"} if settings.WEBHOOKS_ALLOW_HTTP else {"https"}
    if scheme not in allowed:
        raise ValidationError(_("The URL must start with https://."), code="scheme")
    if parts.username or parts.password:
        raise ValidationError(
            _("Put no user name or password in the URL: check the signature instead."),
            code="credentials",
        )
    host = parts.hostname or ""
    if not host:
        raise ValidationError(_("Enter a valid URL."), code="invalid")
    port = port or (443 if scheme == "https" else 80)
    addresses = resolve(host, port)
    if not settings.WEBHOOKS_ALLOW_PRIVATE and not all(_public(a) for a in addresses):
        raise ValidationError(
            _(
                "The URL points to a private or local address: webhooks are sent only to "
                "addresses on the public internet."
            ),
            code="private",
        )
    return scheme, host, port, addresses
