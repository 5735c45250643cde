"""The public evaluation form (no login): what the QR code on a participant's slip opens.

One response per token; the form speaks the language of the link (``?lang=zh-hans``) and
offers the other; an unknown or malformed token is 404; visitors are rate-limited per
address; a used token, a workshop not yet over or an evaluation closed get a page saying so
in words, never a 500."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from catalogue.selectors import evaluation_form_questions
from score_portal.ratelimit import over_limit

from .. import selectors, services
from ..forms import EvaluationForm

LANGUAGES = {"en": "en", "zh-hans": "zh-hans", "zh": "zh-hans"}


def _language(request) -> str:
    asked = request.GET.get("lang", "").lower()
    if asked in LANGUAGES:
        return LANGUAGES[asked]
    return "zh-hans" if translation.get_language().lower().startswith("zh") else "en"


def _rate_limited(request) -> bool:
    """At most ``EVALUATION_RATE_PER_MINUTE`` requests per address and minute: a class on
    one Wi-Fi shares an address, so the limit is generous; it stops tokens being tried in
    bulk (they are unguessable anyway)."""
    return over_limit(request, "evaluate", settings.EVALUATION_RATE_PER_MINUTE)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def evaluation_form(request, token):
    language = _language(request)
    with translation.override(language):
        return _evaluation_page(request, token, language)


def _evaluation_page(request, token, language):
    if _rate_limited(request):
        return render(request, "workshops/evaluation_form.html", {"state": "too_many"}, status=429)
    key = selectors.evaluation_token_get(token)
    workshop = key.workshop
    context = {
        "workshop": workshop,
        "language": language,
        "other_language": "en" if language == "zh-hans" else "zh-hans",
        "state": selectors.evaluation_window(workshop, timezone.localdate()),
    }
    if key.used_on:
        context["state"] = "done" if request.GET.get("done") else "used"
        status = 409 if request.method == "POST" else 200
        return render(request, "workshops/evaluation_form.html", context, status=status)
    if context["state"] != "open":
        status = 403 if request.method == "POST" else 200
        return render(request, "workshops/evaluation_form.html", context, status=status)
    questions = evaluation_form_questions()
    form = EvaluationForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(
                token=key.token, answers=form.answers(), questions=questions, language=language
            )
        except services.EvaluationRefused as refused:
            context["state"] = refused.code
            return render(request, "workshops/evaluation_form.html", context, status=409)
        return redirect(f"{request.path}?lang={language}&done=1")
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "workshops/evaluation_form.html", context, status=status)
