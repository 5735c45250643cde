from score_portal.access import access_for
from score_portal.home import register_panel

from .selectors import module_list


@register_panel(order=50, template="catalogue/_panel_modules.html")
def modules_panel(request):
    if not access_for(request.user).roles:
        return None
    return {"modules": module_list(request.user, active_only=True)}
