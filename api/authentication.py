"""``Authorization: Bearer score_<prefix>_<secret>``: the token acts as its user."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .context import current_token
from .services import token_authenticate


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after Bearer."))
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = token_authenticate(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        current_token.set(token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
