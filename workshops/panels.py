from django.utils.translation import gettext_lazy as _

from score_portal.access import Perm, access_for
from score_portal.home import register_nav, register_panel

from .selectors import module_list

register_nav(order=90, label=_("Modules"), url_name="workshops:module-list", perm=Perm.VIEW)


@register_panel(order=50, template="workshops/_panel_modules.html")
def modules_panel(request):
    if not access_for(request.user).roles:
        return None
    return {"modules": module_list(request.user, active_only=True)}
