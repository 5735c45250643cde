"""What trainers add to lower pages through the hooks of ``score_portal.home``: the trainer's
home panel (assigned enterprises, this week's and overdue visits, open actions due and
enterprises whose KPI data is missing), the consultants section of the enterprise page and
the teaching-team section of the workshop page. Each is a fixed number of queries."""

import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from enterprises.selectors import enterprise_list
from enterprises.selectors.kpi import enterprises_missing_kpis
from score_portal.access import Perm, access_for
from score_portal.home import register_panel, register_section

from .models import Assignment, ConsultingVisit, VisitAction
from .selectors import assignable_trainers, consultant_section
from .services.visits import enrolment_takes_visits


def _is_trainer(request) -> bool:
    return access_for(request.user).is_trainer


@register_panel(order=5, template="trainers/_panel_trainer_home.html")
def trainer_home_panel(request):
    if not _is_trainer(request):
        return None
    user = request.user
    today = timezone.localdate()
    week_end = today + datetime.timedelta(days=7)
    assignments = list(
        Assignment.objects.filter(trainer__user=user)
        .select_related("enrolment__enterprise", "enrolment__module")
        .annotate(
            next_visit=Min(
                "enrolment__visits__planned_date", filter=Q(enrolment__visits__status="planned")
            ),
            recorded=Count("enrolment__visits", filter=Q(enrolment__visits__status="recorded")),
        )
        .order_by("next_visit", "enrolment__enterprise__name")
    )
    for assignment in assignments:
        assignment.takes_visits = enrolment_takes_visits(assignment.enrolment)
    planned = (
        ConsultingVisit.objects.filter(
            trainer__user=user, status="planned", planned_date__lte=week_end
        )
        .select_related("enrolment__enterprise", "enrolment__module")
        .order_by("planned_date")
    )
    visits = list(planned)
    actions = list(
        VisitAction.objects.filter(
            visit__enrolment__assignments__trainer__user=user,
            status=VisitAction.Status.OPEN,
            due_date__lte=today + datetime.timedelta(days=14),
        )
        .select_related("visit__enrolment__enterprise")
        .order_by("due_date")
        .distinct()[:20]
    )
    missing = list(enterprises_missing_kpis(enterprise_list(user)).order_by("name")[:20])
    return {
        "assignments": assignments,
        "overdue": [v for v in visits if v.planned_date < today],
        "today_visits": [v for v in visits if v.planned_date == today],
        "this_week": [v for v in visits if v.planned_date > today],
        "actions": actions,
        "missing": missing,
        "today": today,
    }


@register_section("enterprise", order=20, template="trainers/_section_consultants.html")
def consultants_section(request, enterprise):
    """Consultants per open enrolment, with add and remove for the partner's staff (three
    queries whatever the number of enrolments and consultants)."""
    can_change = access_for(request.user).has_perm(Perm.CHANGE, enterprise.partner_id)
    return {
        "enrolments": consultant_section(enterprise),
        "can_change": can_change,
        "trainers": list(assignable_trainers(request.user, enterprise.partner_id))
        if can_change
        else [],
    }


@register_section("workshop", order=10, template="trainers/_section_workshop_trainers.html")
def workshop_trainers_section(request, workshop):
    links = list(workshop.trainer_links.select_related("trainer"))
    return {
        "links": links,
        "can_change": access_for(request.user).has_perm(Perm.CHANGE, workshop.partner_id),
    }
