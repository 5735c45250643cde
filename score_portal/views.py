from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import access_for
from .forms_preferences import PreferencesForm
from .health import broker_ok, database_ok
from .home import panels_for
from .selectors import profile_of
from .services import profile_update
from .web import form_page


def home(request):
    """Each role's start page, assembled from the panels the apps register."""
    access = access_for(request.user)
    if access.is_contact_only:
        return redirect("contacts:home")  # the enterprise contact's own portal
    return render(
        request,
        "score_portal/home.html",
        {
            "panels": panels_for(request),
            "role": access.primary_role,
        },
    )


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    return redirect(static("img/favicon.ico"), permanent=True)


@never_cache
@require_GET
def healthz(request):
    """Liveness of the database and the broker, without login and without secrets."""
    checks = {"database": database_ok(), "broker": broker_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{name: "ok" if ok else "unavailable" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@login_required
def preferences(request):
    """The user's own preferences: language and (programme managers) default partner."""
    profile = profile_of(request.user)
    initial = {
        "language": profile.language if profile else "",
        "default_partner": profile.default_partner if profile else None,
    }
    form = PreferencesForm(request.POST or None, user=request.user, initial=initial)
    response = form_page(
        request,
        form,
        save=lambda data: profile_update(acting_user=request.user, **data),
        success_url=reverse("preferences"),
        template="score_portal/preferences.html",
        success_message=_("Your preferences were saved."),
    )
    if response.status_code == 302 and form.cleaned_data.get("language"):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.cleaned_data["language"],
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def language_set(request):
    """Django's set_language; a logged-in user's choice is also kept on their profile, so it
    is applied again at their next login (on any browser)."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language
        and check_for_language(language)
        and language in {code for code, _label in settings.LANGUAGES}
    ):
        profile_update(acting_user=request.user, language=language)
    return response
