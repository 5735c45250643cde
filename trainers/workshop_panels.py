from score_portal.access import Perm, access_for
from score_portal.home import register_section


@register_section("workshop", order=10, template="trainers/_section_workshop_trainers.html")
def workshop_trainers_section(request, workshop):
    links = list(workshop.trainer_links.select_related("trainer"))
    return {"links": links,
            "can_change": access_for(request.user).has_perm(Perm.CHANGE, workshop.partner_id)}
