from django.db.models import Count, Exists, OuterRef, Q

from catalogue.models import ChecklistVersion, Module
from score_portal.access import Perm, access_for, can
from score_portal.home import register_panel, register_section

from .models import Enrolment, Enterprise
from .selectors import cost_recovery, enterprise_list


@register_panel(order=20, template="enterprises/_panel_enterprises.html")
def enterprises_panel(request):
    access = access_for(request.user)
    if not access.has_perm(Perm.VIEW) or (access.is_trainer and len(access.roles) == 1):
        return None
    counts = enterprise_list(request.user).aggregate(
        total=Count("id"),
        **{status: Count("id", filter=Q(status=status)) for status in Enterprise.Status.values},
    )
    return {
        "counts": counts,
        "statuses": Enterprise.Status.choices,
        "can_change": access.has_perm(Perm.CHANGE),
    }


@register_section("enterprise", order=10, template="enterprises/_section_enrolments.html")
def enrolments_section(request, enterprise):
    access = access_for(request.user)
    enrolments = list(enterprise.enrolments.select_related("module", "entry_overridden_by"))
    return {
        "enrolments": enrolments,
        "can_change": access.has_perm(Perm.CHANGE, enterprise.partner_id),
        "can_enrol": access.has_perm(Perm.CHANGE, enterprise.partner_id)
        or access.has_perm(Perm.OVERRIDE),
        "cost_recovery": cost_recovery(enrolments),
    }


@register_panel(order=3, template="enterprises/_panel_returned.html")
def returned_readings_panel(request):
    """Readings returned to this person for revision, with the reviewer's comment (on a
    trainer's home first of all); hidden when there are none. One query."""
    from .selectors.review import returned_to

    if not access_for(request.user).has_perm(Perm.RECORD):
        return None
    readings = returned_to(request.user)
    return {"readings": readings} if readings else None


@register_panel(order=4, template="enterprises/_panel_review.html")
def review_panel(request):
    """For those who verify: how many readings wait for review and are returned. One query."""
    from .selectors.review import review_counts

    if not access_for(request.user).has_perm(Perm.VERIFY):
        return None
    return {"counts": review_counts(request.user)}


@register_section("enterprise", order=15, template="enterprises/_section_assessments.html")
def assessments_section(request, enterprise):
    """Baseline and progress assessments per module and the practices adopted since the
    baseline; links to record one for each module that has a checklist."""
    from .selectors.assessments import adoption_by_module

    rows = adoption_by_module(enterprise)
    checklist = ChecklistVersion.objects.filter(module=OuterRef("pk"))
    enrolled = Enrolment.objects.filter(enterprise=enterprise, module=OuterRef("pk"))
    modules = list(
        Module.objects.filter(Exists(checklist), is_active=True)
        .annotate(enrolled=Exists(enrolled))
        .order_by("-enrolled", "order", "code")  # the enterprise's own modules first
    )
    return {
        "rows": rows,
        "modules": modules,
        "can_record": can(request.user, Perm.RECORD, enterprise),
    }
