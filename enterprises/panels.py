from django.db.models import Count, Q

from score_portal.access import Perm, access_for
from score_portal.home import register_panel

from .models import Enterprise
from .selectors import enterprise_list


@register_panel(order=20, template="enterprises/_panel_enterprises.html")
def enterprises_panel(request):
    access = access_for(request.user)
    if not access.has_perm(Perm.VIEW) or (access.is_trainer and len(access.roles) == 1):
        return None
    counts = enterprise_list(request.user).aggregate(
        total=Count("id"),
        **{status: Count("id", filter=Q(status=status)) for status in Enterprise.Status.values})
    return {"counts": counts, "statuses": Enterprise.Status.choices,
            "can_change": access.has_perm(Perm.CHANGE)}
