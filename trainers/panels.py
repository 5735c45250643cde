from score_portal.access import Perm, access_for
from score_portal.home import register_section

from .selectors import assignable_trainers, consultant_section


@register_section("enterprise", order=20, template="trainers/_section_consultants.html")
def consultants_section(request, enterprise):
    """Consultants per open enrolment, with add and remove for the partner's staff (three
    queries whatever the number of enrolments and consultants)."""
    can_change = access_for(request.user).has_perm(Perm.CHANGE, enterprise.partner_id)
    return {
        "enrolments": consultant_section(enterprise),
        "can_change": can_change,
        "trainers": list(assignable_trainers(request.user, enterprise.partner_id))
        if can_change else [],
    }
