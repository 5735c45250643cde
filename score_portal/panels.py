from django.utils.translation import gettext_lazy as _

from .access import access_for
from .home import register_panel
from .models import Role
from .selectors import partner_list


@register_panel(order=10, template="score_portal/_panel_partners.html")
def partners_panel(request):
    access = access_for(request.user)
    if not access.roles:
        return None
    partners = list(partner_list(request.user))
    roles = {pid: Role(role).label for pid, role in access.roles_by_partner.items()}
    for partner in partners:
        partner.my_role = roles.get(partner.pk, _("Programme manager"))
    return {"partners": partners, "programme": access.programme}
