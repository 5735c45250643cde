from django.utils.translation import gettext_lazy as _

from score_portal.access import Perm, access_for
from score_portal.home import register_nav, register_panel

from .selectors import module_list

register_nav(order=90, label=_("Modules"), url_name="catalogue:module-list", perm=Perm.VIEW)
register_nav(order=95, label=_("KPI catalogue"), url_name="catalogue:kpi-list",
             perm=Perm.MANAGE_CATALOGUE)


@register_panel(order=50, template="catalogue/_panel_modules.html")
def modules_panel(request):
    if not access_for(request.user).roles:
        return None
    return {"modules": module_list(request.user, active_only=True)}
