from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from score_portal.access import Perm, access_for, can, partners_for, require_perm
from score_portal.home import sections_for
from score_portal.web import bad_filter_messages, form_page

from .. import selectors, services
from ..filters import EnterpriseFilter
from ..forms.enterprises import (
    BulkActionForm,
    EITMemberForm,
    EnterpriseForm,
    EnterpriseMergeForm,
    ProjectForm,
    SuggestionForm,
)
from ..models import Assessment, AssessmentAnswer, EITMember, Enterprise, ImprovementProject

PAGE_SIZE = 25


@require_perm(Perm.VIEW)
def enterprise_list(request):
    enterprises = selectors.enterprise_list(request.user)
    filterset = EnterpriseFilter(request.GET or None, queryset=enterprises, request=request)
    bad_filter_messages(request, filterset.form)  # applies the filters it understood
    queryset = filterset.qs if filterset.is_bound else enterprises
    if not request.GET.get("sort"):
        queryset = queryset.order_by("name", "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    can_change = access_for(request.user).has_perm(Perm.CHANGE)
    return render(
        request,
        "enterprises/enterprise_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_change": can_change,
            "bulk_form": (
                BulkActionForm(queryset=enterprises, groups=_bulk_groups(request.user))
                if can_change
                else None
            ),
        },
    )


def _bulk_groups(user):
    from score_portal.access import scope

    from ..models import EnterpriseGroup

    return (
        scope(user, EnterpriseGroup.objects.all(), Perm.CHANGE)
        .select_related("partner")
        .order_by("partner__code", "name")
    )


@require_perm(Perm.CHANGE)
def enterprise_create(request):
    choices = partners_for(request.user, Perm.CHANGE)
    form = EnterpriseForm(request.POST or None, partner_choices=choices)

    def save(data):
        partner = data.pop("partner")
        data.pop("version", None)
        return services.enterprise_create(acting_user=request.user, partner=partner, **data)

    return form_page(
        request,
        form,
        save=save,
        template="enterprises/enterprise_form.html",
        success_url=lambda e: reverse("enterprises:detail", args=[e.pk]),
        success_message=_("Enterprise saved."),
        once=True,
    )


@require_perm(Perm.VIEW)
def enterprise_detail(request, pk):
    enterprise = selectors.enterprise_get(request.user, pk)
    members = selectors.eit_members(enterprise)
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "can_change": can(request.user, Perm.CHANGE, enterprise),
            "can_invite_contact": can(request.user, Perm.INVITE_CONTACT, enterprise),
            "members": members,
            "eit": selectors.eit_summary(members),
            "projects": selectors.recent_projects(enterprise),
            "project_totals": selectors.project_summary(enterprise),
            "suggestions": selectors.suggestion_summary(enterprise),
            "sections": sections_for("enterprise", request, enterprise),
            "duplicates": selectors.likely_duplicates(request.user, enterprise),
        },
    )


@require_perm(Perm.VIEW)
def enterprise_edit(request, pk):
    enterprise = selectors.enterprise_get(request.user, pk, Perm.CHANGE)
    form = EnterpriseForm(request.POST or None, instance=enterprise)

    def save(data):
        version = data.pop("version", None)
        return services.enterprise_update(
            acting_user=request.user, enterprise=enterprise, version=version, **data
        )

    return form_page(
        request,
        form,
        save=save,
        template="enterprises/enterprise_form.html",
        context={"enterprise": enterprise},
        success_url=reverse("enterprises:detail", args=[pk]),
        success_message=_("Enterprise saved."),
    )


@require_perm(Perm.VIEW)
def enterprise_merge(request, pk):
    """Merge a duplicate record of the same partner into this enterprise (staff): offered
    from the "possibly the same enterprise" notice; every moved record keeps its history."""
    enterprise = selectors.enterprise_get(request.user, pk, Perm.CHANGE)
    requested = request.POST.get("duplicate") or request.GET.get("duplicate")
    candidates = selectors.merge_candidates(request.user, enterprise, requested)
    initial = {"duplicate": requested} if requested and request.method == "GET" else None
    form = EnterpriseMergeForm(request.POST or None, initial=initial, candidates=candidates)
    return form_page(
        request,
        form,
        save=lambda data: services.enterprise_merge(
            acting_user=request.user, keep=enterprise, duplicate=data["duplicate"]
        ),
        template="score_portal/form_page.html",
        context={
            "enterprise": enterprise,
            "title": _("Merge a duplicate record"),
            "intro": _(
                "The duplicate's enrolments, EIT members, projects, suggestions, KPI readings, "
                "consultants and visits move to %(name)s; its empty fields are filled from it; "
                "then the duplicate is deleted. Every change is kept in the history."
            )
            % {"name": enterprise.display_name},
            "back_url": reverse("enterprises:detail", args=[pk]),
        },
        success_url=reverse("enterprises:detail", args=[pk]),
        success_message=_("The duplicate record was merged into this enterprise."),
    )


@require_perm(Perm.VIEW)
def enterprise_history(request, pk):
    """Who changed what and when, across the enterprise and its EIT, projects and
    suggestions."""
    enterprise = selectors.enterprise_get(request.user, pk)
    entries = []
    sources = [
        enterprise.history.all(),
        EITMember.history.filter(enterprise_id=pk),
        ImprovementProject.history.filter(enterprise_id=pk),
        enterprise.suggestion_counts.model.history.filter(enterprise_id=pk),
        Assessment.history.filter(enterprise_id=pk),
        AssessmentAnswer.history.filter(assessment__enterprise_id=pk),
    ]
    for records in sources:
        entries.extend(_history_entries(records))
    entries.sort(key=lambda e: e["record"].history_date, reverse=True)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request, "enterprises/enterprise_history.html", {"enterprise": enterprise, "page": page}
    )


def _history_entries(records, limit: int = 500) -> list[dict]:
    """Each history record with what changed since the previous record of the same object,
    diffed in memory (one query per source, however long the history)."""
    rows = list(records.select_related("history_user").order_by("id", "history_date")[:limit])
    entries, previous = [], None
    for record in rows:
        model = record.instance_type
        changes: list[dict] = []
        if previous is not None and previous.id == record.id:
            for change in record.diff_against(previous).changes:
                if change.field in {"version", "updated_at"}:
                    continue
                field = model._meta.get_field(change.field)
                old, new = change.old, change.new
                if field.choices:
                    labels = dict(field.flatchoices)
                    old, new = labels.get(old, old), labels.get(new, new)
                changes.append({"field": field.verbose_name, "old": old, "new": new})
        user = record.history_user
        entries.append(
            {
                "record": record,
                "model": model._meta.verbose_name,
                "who": (user.get_full_name() or user.username) if user else None,
                "changes": changes,
            }
        )
        previous = record
    return entries


@require_POST
@require_perm(Perm.CHANGE)
def enterprise_bulk(request):
    enterprises = selectors.enterprise_list(request.user, Perm.CHANGE)
    form = BulkActionForm(request.POST, queryset=enterprises, groups=_bulk_groups(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose an action and at least one enterprise."))
        return redirect(_safe_next(request) or "enterprises:list")
    if form.cleaned_data["action"] in {"csv", "xlsx"}:
        query = urlencode(
            {
                "format": form.cleaned_data["action"],
                "selected": [e.pk for e in form.cleaned_data["selected"]],
            },
            doseq=True,
        )
        return redirect(f"{reverse('enterprises:transfer:export')}?{query}")
    if form.cleaned_data["action"] in {"group", "ungroup"}:
        return _bulk_group(request, form)
    changed = services.enterprise_set_status(
        acting_user=request.user,
        status=form.cleaned_data["status"],
        enterprises=Enterprise.objects.filter(pk__in=[e.pk for e in form.cleaned_data["selected"]]),
    )
    messages.success(
        request,
        ngettext(
            "Status changed for %(count)d enterprise.",
            "Status changed for %(count)d enterprises.",
            changed,
        )
        % {"count": changed},
    )
    return redirect(_safe_next(request) or "enterprises:list")


def _bulk_group(request, form):
    from django.core.exceptions import ValidationError

    group = form.cleaned_data["group"] if form.cleaned_data["action"] == "group" else None
    try:
        changed = services.enterprise_group_assign(
            acting_user=request.user, group=group, enterprises=form.cleaned_data["selected"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "Group changed for %(count)d enterprise.",
                "Group changed for %(count)d enterprises.",
                changed,
            )
            % {"count": changed},
        )
    return redirect(_safe_next(request) or "enterprises:list")


def _safe_next(request) -> str | None:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


# --- EIT members, projects and suggestions -----------------------------------------------


def _child_page(request, enterprise, form, save, title):
    return form_page(
        request,
        form,
        save=save,
        template="score_portal/form_page.html",
        context={
            "title": title,
            "enterprise": enterprise,
            "back_url": reverse("enterprises:detail", args=[enterprise.pk]),
        },
        success_url=reverse("enterprises:detail", args=[enterprise.pk]),
        success_message=_("Saved."),
    )


@require_perm(Perm.VIEW)
def eit_member_edit(request, pk, member_pk=None):
    enterprise = selectors.enterprise_get(request.user, pk, Perm.CHANGE)
    member = (
        get_object_or_404(EITMember, pk=member_pk, enterprise=enterprise) if member_pk else None
    )
    form = EITMemberForm(request.POST or None, instance=member)
    return _child_page(
        request,
        enterprise,
        form,
        lambda data: services.eit_member_save(
            acting_user=request.user, enterprise=enterprise, member=member, **data
        ),
        _("Edit EIT member") if member else _("Add an EIT member"),
    )


@require_POST
@require_perm(Perm.VIEW)
def eit_member_delete(request, pk, member_pk):
    enterprise = selectors.enterprise_get(request.user, pk, Perm.CHANGE)
    member = get_object_or_404(EITMember, pk=member_pk, enterprise=enterprise)
    services.eit_member_delete(acting_user=request.user, member=member)
    messages.success(request, _("%(name)s removed from the EIT.") % {"name": member.name})
    return redirect("enterprises:detail", pk=pk)


@require_perm(Perm.VIEW)
def project_edit(request, pk, project_pk=None):
    enterprise = selectors.enterprise_get(request.user, pk, Perm.CHANGE)
    project = (
        get_object_or_404(ImprovementProject, pk=project_pk, enterprise=enterprise)
        if project_pk
        else None
    )
    form = ProjectForm(request.POST or None, instance=project)
    return _child_page(
        request,
        enterprise,
        form,
        lambda data: services.project_save(
            acting_user=request.user, enterprise=enterprise, project=project, **data
        ),
        _("Edit improvement project") if project else _("Add an improvement project"),
    )


@require_perm(Perm.VIEW)
def suggestions_record(request, pk):
    enterprise = selectors.enterprise_get(request.user, pk, Perm.CHANGE)
    form = SuggestionForm(request.POST or None)
    return _child_page(
        request,
        enterprise,
        form,
        lambda data: services.suggestions_record(
            acting_user=request.user, enterprise=enterprise, **data
        ),
        _("Record worker suggestions"),
    )
