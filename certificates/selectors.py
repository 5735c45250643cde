"""Reads for verifiable certificates: the public look-up by token or code (no user: what the
page shows is the minimum), and the staff's scoped list and detail."""

from django.db.models import Count, QuerySet

from score_portal.access import Perm, get_for_user, scope

from .models import IssuedCertificate

PUBLIC_RELATED = ("partner", "module", "certification")


def certificate_by_token(token: str) -> IssuedCertificate | None:
    return IssuedCertificate.objects.select_related(*PUBLIC_RELATED).filter(token=token).first()


def certificate_by_code(code: str) -> IssuedCertificate | None:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(normalised) != 10:
        return None
    code = f"{normalised[:5]}-{normalised[5:]}"
    return IssuedCertificate.objects.select_related(*PUBLIC_RELATED).filter(code=code).first()


def certificate_list(user, search: str = "") -> QuerySet[IssuedCertificate]:
    certificates = scope(user, IssuedCertificate.objects.all()).select_related(*PUBLIC_RELATED)
    if search:
        certificates = certificates.filter(code__icontains=search.strip()) | certificates.filter(
            holder_name__icontains=search.strip()
        )
    return certificates.annotate(check_count=Count("checks")).order_by("-issued_on", "-pk")


def certificate_get(user, pk: int, perm: str = Perm.VIEW) -> IssuedCertificate:
    return get_for_user(
        user, IssuedCertificate.objects.select_related(*PUBLIC_RELATED, "revoked_by"), perm, pk=pk
    )


def certificate_history(certificate: IssuedCertificate) -> list:
    return list(certificate.history.select_related("history_user").order_by("-history_date"))


def certificate_checks(certificate: IssuedCertificate, limit: int = 50) -> list:
    return list(certificate.checks.order_by("-checked_at")[:limit])
