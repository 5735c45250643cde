"""People administration: partners and their managers (programme managers), invitations,
roles and deactivation (partner managers, within their partner), without Django's admin."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from . import memberships, people
from .access import Perm, access_for, get_for_user, require_perm
from .forms_people import InviteForm, PartnerForm, RoleForm
from .invitations import invitation_send, invitation_token
from .models import Membership, Partner, Role
from .selectors import access_history, partners_managed, people_at
from .web import form_page


def _partner(request, pk) -> Partner:
    return get_for_user(request.user, Partner.objects.all(), Perm.MANAGE_PEOPLE, pk=pk)


def _require_programme(request) -> None:
    if not access_for(request.user).programme:
        raise PermissionDenied


@require_perm(Perm.MANAGE_PEOPLE)
def partner_list(request):
    return render(
        request,
        "score_portal/people/partner_list.html",
        {
            "partners": partners_managed(request.user),
            "programme": access_for(request.user).programme,
        },
    )


@require_perm(Perm.VIEW)
def partner_people(request, pk):
    """Who has access at a partner, their role and last login; invite, change, deactivate."""
    partner = _partner(request, pk)
    rows = []
    for membership in people_at(request.user, partner):
        roles = memberships.grantable_roles(request.user, partner)
        mine = membership.user_id != request.user.pk and memberships.may_grant(
            request.user, membership.role, partner
        )
        # a contact's role is bound to their enterprise or group: ended, never changed
        contact = membership.role == Role.ENTERPRISE_CONTACT
        rows.append(
            {
                "membership": membership,
                "person": membership.user,
                "can_change": mine,
                "form": RoleForm(
                    roles=roles, initial={"role": membership.role}, auto_id=f"id_{membership.pk}_%s"
                )
                if mine and not contact
                else None,
            }
        )
    return render(
        request,
        "score_portal/people/partner_people.html",
        {
            "partner": partner,
            "rows": rows,
            "history": access_history(request.user, partner),
            "can_invite": bool(memberships.grantable_roles(request.user, partner))
            and partner.is_active,
            "programme": access_for(request.user).programme,
        },
    )


@require_perm(Perm.MANAGE_PEOPLE)
def partner_create(request):
    _require_programme(request)
    form = PartnerForm(request.POST or None)
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        save=lambda data: people.partner_save(acting_user=request.user, **data),
        success_url=lambda p: reverse("people:partner-people", args=[p.pk]),
        success_message=_("Partner saved."),
        context={"title": _("Add a partner"), "back_url": reverse("people:partner-list")},
    )


@require_perm(Perm.VIEW)
def partner_edit(request, pk):
    partner = _partner(request, pk)
    _require_programme(request)
    form = PartnerForm(request.POST or None, instance=partner)
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        save=lambda data: people.partner_save(acting_user=request.user, partner=partner, **data),
        success_url=lambda p: reverse("people:partner-people", args=[p.pk]),
        success_message=_("Partner saved."),
        context={
            "title": _("Edit %(name)s") % {"name": partner},
            "back_url": reverse("people:partner-people", args=[partner.pk]),
        },
    )


@require_perm(Perm.VIEW)
@require_POST
def partner_active(request, pk):
    """Deactivate (ending every membership there at once) or reactivate a partner."""
    partner = _partner(request, pk)
    _require_programme(request)
    if request.POST.get("active") == "yes":
        people.partner_reactivate(acting_user=request.user, partner=partner)
        messages.success(request, _("%(partner)s is active again.") % {"partner": partner})
    else:
        ended = people.partner_deactivate(acting_user=request.user, partner=partner)
        messages.success(
            request,
            ngettext(
                "%(partner)s is deactivated; %(count)d person lost access.",
                "%(partner)s is deactivated; %(count)d people lost access.",
                ended,
            )
            % {"partner": partner, "count": ended},
        )
    return redirect("people:partner-people", pk=partner.pk)


@require_perm(Perm.VIEW)
def person_invite(request, pk):
    """Invite someone by e-mail with a role at this partner (a one-time link to set a
    password for someone new)."""
    partner = _partner(request, pk)
    roles = memberships.grantable_roles(request.user, partner)
    if not roles or not partner.is_active:
        raise PermissionDenied
    form = InviteForm(request.POST or None, roles=roles)

    def save(data):
        user, _new = people.person_invite(acting_user=request.user, partner=partner, **data)
        invitation_send(
            request=request,
            acting_user=request.user,
            user=user,
            partner=partner,
            role_label=Role(data["role"]).label,
        )
        return user

    return form_page(
        request,
        form,
        save=save,
        template="score_portal/form_page.html",
        success_url=reverse("people:partner-people", args=[partner.pk]),
        success_message=lambda user: (
            _("An invitation was sent to %(email)s.") % {"email": user.email}
        ),
        context={
            "title": _("Invite someone to %(partner)s") % {"partner": partner},
            "intro": _("They receive an e-mail with a link to set their password."),
            "back_url": reverse("people:partner-people", args=[partner.pk]),
        },
    )


def _membership(request, pk) -> Membership:
    membership = get_object_or_404(
        Membership.objects.select_related("partner", "user"), pk=pk, partner__isnull=False
    )
    _partner(request, membership.partner_id)  # 404 outside the user's partners, 403 staff
    return membership


@require_perm(Perm.VIEW)
@require_POST
def membership_role(request, pk):
    membership = _membership(request, pk)
    form = RoleForm(
        request.POST, roles=memberships.grantable_roles(request.user, membership.partner)
    )
    if not form.is_valid():
        messages.error(request, _("Choose a role you may give."))
    else:
        try:
            memberships.membership_change_role(
                acting_user=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The role of %(person)s was changed.")
                % {"person": membership.user.get_full_name() or membership.user.username},
            )
    return redirect("people:partner-people", pk=membership.partner_id)


@require_perm(Perm.VIEW)
@require_POST
def person_deactivate(request, pk):
    """End this person's access at every partner the acting user manages, at once."""
    membership = _membership(request, pk)
    if not memberships.may_grant(request.user, membership.role, membership.partner):
        raise PermissionDenied
    memberships.person_deactivate(acting_user=request.user, user=membership.user)
    messages.success(
        request,
        _("%(person)s no longer has access here.")
        % {"person": membership.user.get_full_name() or membership.user.username},
    )
    return redirect("people:partner-people", pk=membership.partner_id)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation's one-time link: choose a password, then log in."""

    token_generator = invitation_token
    template_name = "score_portal/people/invitation_accept.html"
    success_url = reverse_lazy("login")
    title = gettext_lazy("Set your password")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        messages.success(
            self.request, _("Your password is set. Log in with your e-mail address or username.")
        )
        return super().form_valid(form)
