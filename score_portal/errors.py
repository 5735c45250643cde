"""The error pages in the portal's layout (menu, language switch, a way back, what to do
next), named by ``config/urls.py`` (handler400/403/404/500) and ``CSRF_FAILURE_VIEW``.

None of them shows the exception or anything of the object asked for: an out-of-scope id
answers 404 by design, and its page must not tell whether the object exists. The 500 page is
rendered without the context processors (no session, user or membership query), so it renders
when the database is down: only the language, the CSRF token (a cookie) and the request path.
"""

from django.http import HttpResponseServerError
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def _back_url(request) -> str:
    """The page the person came from, when it is on this site (else nothing)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _error(request, template: str, status: int):
    return render(request, template, {"back_url": _back_url(request)}, status=status)


def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error(request, "404.html", 404)


def csrf_failure(request, reason=""):
    return _error(request, "403_csrf.html", 403)


def server_error(request):
    """No context processors: nothing here may need the database."""
    try:
        context = {"request": request, "csrf_token": get_token(request), "error_page": True}
        body = loader.get_template("500.html").render(context)
    except Exception:  # noqa: BLE001 (the last resort must not fail in turn)
        body = f"<!DOCTYPE html><title>500</title><h1>{_('Server error')}</h1>"
    return HttpResponseServerError(body)
