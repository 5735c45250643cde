"""Enterprise groups: list, detail (its enterprises compared, key figures from the indicator
register), create, edit and which enterprises belong to it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from score_portal.access import Perm, access_for, can, partners_for, require_perm
from score_portal.home import sections_for
from score_portal.query import query_text
from score_portal.web import form_page

from .. import services
from ..forms.groups import EnterpriseGroupForm, GroupAssignForm
from ..selectors.groups import (
    assignable_enterprises,
    enterprise_group_get,
    enterprise_group_list,
    group_contacts,
    group_enterprises,
)

# How many candidates the assign page offers at once (a search narrows them).
ASSIGN_CANDIDATES = 200


@require_perm(Perm.VIEW)
def group_list(request):
    return render(
        request,
        "enterprises/group_list.html",
        {
            "groups": enterprise_group_list(request.user),
            "can_change": access_for(request.user).has_perm(Perm.CHANGE),
        },
    )


@require_perm(Perm.VIEW)
def group_detail(request, pk):
    group = enterprise_group_get(request.user, pk)
    enterprises = list(group_enterprises(request.user, group))
    for enterprise in enterprises:
        enterprise.modules_done = [
            e.module for e in enterprise.enrolments_loaded if e.status == e.Status.COMPLETED
        ]
    return render(
        request,
        "enterprises/group_detail.html",
        {
            "group": group,
            "enterprises": enterprises,
            "can_change": can(request.user, Perm.CHANGE, group),
            "can_invite_contact": can(request.user, Perm.INVITE_CONTACT, group),
            "contacts": group_contacts(request.user, group),
            # figures, the comparison table and the group report, from the reports app
            "sections": sections_for("group", request, group),
        },
    )


@require_perm(Perm.CHANGE)
def group_create(request):
    choices = partners_for(request.user, Perm.CHANGE)
    form = EnterpriseGroupForm(request.POST or None, partner_choices=choices)

    def save(data):
        partner = data.pop("partner")
        return services.enterprise_group_create(acting_user=request.user, partner=partner, **data)

    return form_page(
        request,
        form,
        save=save,
        template="score_portal/form_page.html",
        context={
            "title": _("New enterprise group"),
            "group_crumb": True,
            "back_url": reverse("enterprises:groups:list"),
        },
        success_url=lambda g: reverse("enterprises:groups:detail", args=[g.pk]),
        success_message=_("Group saved."),
        once=True,
    )


@require_perm(Perm.VIEW)
def group_edit(request, pk):
    group = enterprise_group_get(request.user, pk, Perm.CHANGE)
    form = EnterpriseGroupForm(request.POST or None, instance=group)
    return form_page(
        request,
        form,
        save=lambda data: services.enterprise_group_update(
            acting_user=request.user, group=group, **data
        ),
        template="score_portal/form_page.html",
        context={
            "title": _("Edit %(name)s") % {"name": group.display_name},
            "group": group,
            "group_crumb": True,
            "back_url": reverse("enterprises:groups:detail", args=[pk]),
        },
        success_url=reverse("enterprises:groups:detail", args=[pk]),
        success_message=_("Group saved."),
    )


@require_perm(Perm.VIEW)
def group_assign(request, pk):
    """Tick the partner's enterprises to add (a search narrows the list), untick members to
    take them out. (The enterprise list's bulk action does the same for a filtered list.)"""
    group = enterprise_group_get(request.user, pk, Perm.CHANGE)
    search = query_text(request.GET, "q")
    assignable = assignable_enterprises(request.user, group)
    candidates = assignable.exclude(group=group)
    if search:
        from django.db.models import Q

        candidates = candidates.filter(
            Q(name__icontains=search) | Q(name_zh__icontains=search) | Q(credit_code=search)
        )
    members = assignable.filter(group=group)
    shown = candidates.filter(
        pk__in=list(candidates.values_list("pk", flat=True)[:ASSIGN_CANDIDATES])
    )
    form = GroupAssignForm(
        request.POST if request.method == "POST" else None,
        # a POST may tick any assignable enterprise (the list shown was a search's)
        candidates=candidates if request.method == "POST" else shown,
        members=members,
    )
    if request.method == "POST" and form.is_valid():
        added = services.enterprise_group_assign(
            acting_user=request.user, group=group, enterprises=form.cleaned_data["add"]
        )
        removed = services.enterprise_group_assign(
            acting_user=request.user, group=None, enterprises=form.cleaned_data["remove"]
        )
        messages.success(
            request,
            ngettext(
                "%(added)d enterprise added to the group",
                "%(added)d enterprises added to the group",
                added,
            )
            % {"added": added}
            + "; "
            + ngettext(
                "%(removed)d taken out.",
                "%(removed)d taken out.",
                removed,
            )
            % {"removed": removed},
        )
        return redirect("enterprises:groups:detail", pk=pk)
    return render(
        request,
        "enterprises/group_assign.html",
        {
            "group": group,
            "form": form,
            "search": search,
            "more": candidates.count() > ASSIGN_CANDIDATES,
            "limit": ASSIGN_CANDIDATES,
        },
        status=400 if request.method == "POST" else 200,
    )
