from django.utils.translation import gettext_lazy as _

from score_portal.access import Perm
from score_portal.home import register_nav

register_nav(order=80, label=_("Reports"), url_name="reports:run-list", perm=Perm.REPORTS)
