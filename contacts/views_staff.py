"""Partner staff and managers invite an enterprise's contact from the enterprise's page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from score_portal.access import Perm, get_for_user, require_perm
from score_portal.people import contact_invite as contact_invite_service
from score_portal.web import form_page

from .forms import ContactInviteForm
from .invitations import contact_invitation_send


@require_perm(Perm.VIEW)  # then 404 out of scope, 403 without the invite perm
def contact_invite(request, pk):
    enterprise = get_for_user(
        request.user, Enterprise.objects.select_related("partner"), Perm.INVITE_CONTACT, pk=pk
    )
    form = ContactInviteForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    back = reverse("enterprises:detail", args=[enterprise.pk])

    def save(data):
        user, _new = contact_invite_service(acting_user=request.user, enterprise=enterprise, **data)
        contact_invitation_send(
            request=request,
            acting_user=request.user,
            user=user,
            enterprise=enterprise,
            language=data["language"],
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
        context={
            "title": _("Invite the contact of %(enterprise)s")
            % {"enterprise": enterprise.display_name},
            "intro": _(
                "The enterprise's contact (for example the EIT secretary) sees only this "
                "enterprise and submits its monthly figures for you to verify."
            ),
            "enterprise": enterprise,
            "back_url": back,
        },
    )
