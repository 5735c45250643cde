"""The public verification page (no login) and the staff pages: the certificates issued,
one certificate with its checks and history, revoking, issuing a trainer's certificate."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from score_portal.access import Perm, can, require_perm
from score_portal.query import query_text
from score_portal.ratelimit import over_limit
from score_portal.web import form_page
from trainers.selectors import certification_get

from . import selectors, services
from .forms import RevokeForm
from .qr import qr_data_uri, verification_host, verification_url


def _rate_limited(request) -> bool:
    """At most ``VERIFY_RATE_PER_MINUTE`` checks per visitor address and minute (tokens are
    unguessable; this keeps the short codes from being tried in bulk)."""
    return over_limit(request, "verify", settings.VERIFY_RATE_PER_MINUTE)


def _answer(request, certificate, *, via: str, form_code: str = ""):
    services.verification_record(
        certificate=certificate,
        via=via,
        address=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    if certificate is None and via == "link":
        raise Http404
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "status": certificate.status() if certificate else None,
            "host": verification_host(),
            "code": form_code,
            "checked": via == "code",
        },
        status=200 if certificate or not form_code else 404,
    )


def _too_many(request):
    return render(
        request,
        "certificates/verify.html",
        {"too_many": True, "host": verification_host()},
        status=429,
    )


@require_safe  # a check is a GET (a POST would be logged as one)
@never_cache
def verify(request, token):
    """What the QR code opens: anyone, no login. Unknown token: 404 (logged)."""
    if _rate_limited(request):
        return _too_many(request)
    return _answer(request, selectors.certificate_by_token(token), via="link")


@require_safe
@never_cache
def verify_code(request):
    """Type the short code printed under the QR code."""
    code = query_text(request.GET, "code", 20)
    if not code:
        return render(request, "certificates/verify.html", {"host": verification_host()})
    if _rate_limited(request):
        return _too_many(request)
    return _answer(request, selectors.certificate_by_code(code), via="code", form_code=code)


@require_perm(Perm.VIEW)
def certificate_list(request):
    search = query_text(request.GET, "q", 50)
    page = Paginator(selectors.certificate_list(request.user, search), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "certificates/certificate_list.html", {"page": page, "q": search})


@require_perm(Perm.VIEW)
def certificate_detail(request, pk):
    certificate = selectors.certificate_get(request.user, pk)
    url = verification_url(certificate)
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "certificate": certificate,
            "status": certificate.status(),
            "url": url,
            "qr": qr_data_uri(url),
            "can_change": can(request.user, Perm.CHANGE, certificate),
            "checks": selectors.certificate_checks(certificate),
            "history": selectors.certificate_history(certificate),
        },
    )


@require_perm(Perm.VIEW)
def certificate_revoke(request, pk):
    certificate = selectors.certificate_get(request.user, pk, Perm.CHANGE)
    form = RevokeForm(request.POST or None)

    def save(data):
        return services.certificate_revoke(
            acting_user=request.user, certificate=certificate, reason=data["reason"]
        )

    return form_page(
        request,
        form,
        save=save,
        template="score_portal/form_page.html",
        context={
            "title": _("Revoke certificate %(code)s") % {"code": certificate.code},
            "intro": _(
                "A revoked certificate shows “revoked” to everyone who checks it, for good."
            ),
            "back_url": reverse("certificates:detail", args=[pk]),
        },
        success_url=reverse("certificates:detail", args=[pk]),
        success_message=_("Certificate revoked."),
    )


@require_perm(Perm.VIEW)
def trainer_certificate(request, certification_pk):
    """POST: issue (once) the verifiable certificate of a trainer's certification."""
    certification = certification_get(request.user, certification_pk, Perm.CHANGE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        certificate = services.trainer_certificate_issue(
            acting_user=request.user, certification=certification
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("trainers:detail", pk=certification.trainer_id)
    return redirect("certificates:detail", pk=certificate.pk)
