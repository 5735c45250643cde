"""The dashboard's home panel."""

from score_portal.access import access_for
from score_portal.home import register_panel
from score_portal.models import Role

from .headlines import headline_figures

# Trainers hold no reports permission: the dashboard entry is for managers and staff.


@register_panel(order=15, template="reports/_panel_dashboard.html")
def dashboard_panel(request):
    """Headline figures of this year for managers and staff, linking to the dashboard."""
    access = access_for(request.user)
    if not access.roles or access.primary_role == Role.TRAINER:
        return None
    return headline_figures(request.user)
