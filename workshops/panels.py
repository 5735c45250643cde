from score_portal.access import Perm, access_for
from score_portal.home import register_section

from .selectors import cost_recovery


@register_section("enterprise", order=10, template="workshops/_section_enrolments.html")
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
