"""Apply a person's stored language once per session (after login), so their choice follows
them from one browser to the next. Later switches in the top bar set the cookie as usual and
are stored on the profile by ``views.language_set``."""

from django.conf import settings
from django.utils import translation

SESSION_KEY = "_score_profile_language_applied"


class ProfileLanguageMiddleware:
    """After AuthenticationMiddleware: on the first request of a logged-in session, read the
    profile (one query, once per session) and, if it names a language, activate it and set
    the language cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.session.get(SESSION_KEY):
            from .selectors import profile_of

            profile = profile_of(user)
            request.session[SESSION_KEY] = True
            if profile and profile.language:
                language = profile.language
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language,
                max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response
