from reports.models import ReportRun
from score_portal.access import Perm, access_for
from score_portal.home import register_section


@register_section("workshop", order=30, template="reports/_section_workshop_pack.html")
def workshop_pack_section(request, workshop):
    """Staff and managers print the attendance sheet and the certificates."""
    if not access_for(request.user).has_perm(Perm.REPORTS, workshop.partner_id):
        return None
    return {"languages": ReportRun.Language.choices}
