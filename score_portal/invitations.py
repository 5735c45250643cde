"""One-time links to set a password: invitations (expiring after ``INVITATION_TIMEOUT``) and
the e-mails that carry them, in English and Chinese."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import override


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Like Django's password-reset tokens (a hash of the password and last login, so the
    link works once), with its own salt and its own expiry."""

    key_salt = "score_portal.invitations.InvitationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token) or "-" not in token:
            return False
        ts_b36, _hash = token.split("-", 1)
        try:
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.INVITATION_TIMEOUT


invitation_token = InvitationTokenGenerator()


def invitation_url(request, user) -> str:
    path = reverse(
        "people:invitation-accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def invitation_send(*, request, acting_user, user, partner, role_label: str) -> None:
    """Mail ``user`` their one-time link (both languages in one message)."""
    context = {
        "user": user,
        "partner": partner,
        "inviter": acting_user,
        "url": invitation_url(request, user),
        "login_url": request.build_absolute_uri(reverse("login")),
        "days": max(1, settings.INVITATION_TIMEOUT // 86400),
    }
    subjects, bodies = [], []
    for language in ("en", "zh-hans"):
        with override(language):
            subjects.append(
                render_to_string(
                    "score_portal/email/invitation_subject.txt",
                    {**context, "role": str(role_label)},
                ).strip()
            )
            bodies.append(
                render_to_string(
                    "score_portal/email/invitation_body.txt", {**context, "role": str(role_label)}
                )
            )
    send_mail(" / ".join(subjects), "\n\n".join(bodies), None, [user.email])
