"""Partner staff and managers invite an enterprise's contact from the enterprise's page, and
a group's contact (its "SCORE secretary", the contact of every enterprise of the group) from
the group's page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, EnterpriseGroup
from score_portal.access import Perm, get_for_user, require_perm
from score_portal.people import contact_invite as contact_invite_service
from score_portal.web import form_page

from .forms import ContactInviteForm
from .invitations import contact_invitation_send


def _invite_page(request, *, speaks_for: dict, back: str, context: dict):
    """The invitation form; ``speaks_for`` is ``{"enterprise": …}`` or ``{"group": …}``."""
    form = ContactInviteForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})

    def save(data):
        user, _new = contact_invite_service(acting_user=request.user, **speaks_for, **data)
        contact_invitation_send(
            request=request,
            acting_user=request.user,
            user=user,
            language=data["language"],
            **speaks_for,
        )
        return user

    return form_page(
        request,
        form,
        save=save,
        template="score_portal/form_page.html",
        success_url=back,
        success_message=lambda user: (
            _("An invitation was sent to %(email)s.") % {"email": user.email}
        ),
        context={**context, "back_url": back},
    )


@require_perm(Perm.VIEW)  # then 404 out of scope, 403 without the invite perm
def contact_invite(request, pk):
    enterprise = get_for_user(
        request.user, Enterprise.objects.select_related("partner"), Perm.INVITE_CONTACT, pk=pk
    )
    return _invite_page(
        request,
        speaks_for={"enterprise": enterprise},
        back=reverse("enterprises:detail", args=[enterprise.pk]),
        context={
            "title": _("Invite the contact of %(enterprise)s")
            % {"enterprise": enterprise.display_name},
            "intro": _(
                "The enterprise's contact (for example the EIT secretary) sees only this "
                "enterprise and submits its monthly figures for you to verify."
            ),
            "enterprise": enterprise,
        },
    )


@require_perm(Perm.VIEW)  # then 404 out of scope, 403 without the invite perm
def group_contact_invite(request, pk):
    group = get_for_user(
        request.user, EnterpriseGroup.objects.select_related("partner"), Perm.INVITE_CONTACT, pk=pk
    )
    return _invite_page(
        request,
        speaks_for={"group": group},
        back=reverse("enterprises:groups:detail", args=[group.pk]),
        context={
            "title": _("Invite the contact of %(group)s") % {"group": group.display_name},
            "intro": _(
                "The group's contact (for example its SCORE secretary) sees every enterprise "
                "of the group, and only those, and submits their monthly figures for you to "
                "verify. An enterprise added to the group later is theirs too."
            ),
        },
    )
