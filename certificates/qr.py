"""The verification link of a certificate and its QR code (``segno``: pure Python, no
network), as a PNG ``data:`` URI that pages and the PDF renderer embed without a fetch."""

from django.conf import settings
from django.urls import reverse

from score_portal.qr import qr_data_uri

from .models import IssuedCertificate

__all__ = ["qr_data_uri", "verification_host", "verification_url"]


def verification_url(certificate: IssuedCertificate) -> str:
    """The absolute link printed on the certificate: this portal's own host only."""
    base = settings.PORTAL_URL.rstrip("/")
    return base + reverse("certificates:verify", args=[certificate.token])


def verification_host() -> str:
    return settings.PORTAL_URL.split("://", 1)[-1].rstrip("/")
