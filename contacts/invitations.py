"""The invitation mail of an enterprise contact, in the language chosen for them."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import override

from score_portal.invitations import invitation_url


def contact_invitation_send(
    *, request, acting_user, user, enterprise=None, group=None, language: str
) -> None:
    """Mail ``user`` the link to set their password (or to log in, when they have one): the
    contact of ``enterprise``, or of every enterprise of ``group``."""
    subject_of = enterprise or group
    context = {
        "user": user,
        "enterprise": enterprise,
        "group": group,
        "inviter": acting_user,
        "url": invitation_url(request, user),
        "login_url": request.build_absolute_uri(reverse("login")),
        "link_url": request.build_absolute_uri(reverse("login-link-request")),
        "days": max(1, settings.INVITATION_TIMEOUT // 86400),
    }
    with override(language or "en"):
        context["enterprise_name"] = subject_of.display_name
        context["partner_name"] = subject_of.partner.name
        subject = render_to_string("contacts/email/invitation_subject.txt", context).strip()
        body = render_to_string("contacts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [user.email])
