from .access import access_for
from .models import Role
from .navigation import nav_for


def access(request):
    acc = access_for(getattr(request, "user", None))
    roles = acc.roles
    return {
        "access": acc,
        "nav_items": nav_for(acc),
        "is_programme_manager": Role.PROGRAMME_MANAGER in roles,
        "is_partner_staff": Role.PARTNER_STAFF in roles,
        "is_trainer": Role.TRAINER in roles,
    }
