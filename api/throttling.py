"""Requests per token (or per signed-in user for the session), rate from settings."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self):
        return settings.API_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return f"throttle_api_token_{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"throttle_api_user_{request.user.pk}"
        return f"throttle_api_anon_{self.get_ident(request)}"
