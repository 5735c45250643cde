"""The verification link of a certificate and its QR code (``segno``: pure Python, no
network), as a PNG ``data:`` URI that pages and the PDF renderer embed without a fetch."""

import segno
from django.conf import settings
from django.urls import reverse

from .models import IssuedCertificate


def verification_url(certificate: IssuedCertificate) -> str:
    """The absolute link printed on the certificate: this portal's own host only."""
    base = settings.PORTAL_URL.rstrip("/")
    return base + reverse("certificates:verify", args=[certificate.token])


def qr_data_uri(url: str, scale: int = 4) -> str:
    return segno.make(url, error="m").png_data_uri(scale=scale, border=4)


def verification_host() -> str:
    return settings.PORTAL_URL.split("://", 1)[-1].rstrip("/")
