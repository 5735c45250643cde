"""A person's stored language follows them from one browser to the next: at login the
profile's language is noted in the new session (one query, at login only); the next request
applies it and sets the language cookie. Later switches in the top bar set the cookie as usual
and are stored on the profile by ``views.language_set``."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

SESSION_KEY = "_score_profile_language"


@receiver(user_logged_in, dispatch_uid="score_portal.profile_language")
def note_profile_language(sender, request, user, **kwargs):
    """Reads the profile; writes nothing but the session."""
    from .selectors import profile_of

    session = getattr(request, "session", None)
    profile = profile_of(user)
    if session is not None and profile and profile.language:
        session[SESSION_KEY] = profile.language


class ProfileLanguageMiddleware:
    """After AuthenticationMiddleware: apply a language noted at login, once. Costs nothing
    on other requests (the session is loaded anyway)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        language = session.pop(SESSION_KEY, None) if session is not None else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class ContactNotFoundMiddleware:
    """An enterprise contact sees their enterprise and nothing else: any page that refuses
    them (403) answers 404 instead, so no URL outside their enterprise reveals that it
    exists, whichever view raised the refusal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        from .access import access_for

        if isinstance(exception, PermissionDenied) and access_for(request.user).is_contact_only:
            raise Http404
        return None
