from django.utils.translation import gettext_lazy as _

from score_portal.access import Perm
from score_portal.home import register_nav

register_nav(order=20, label=_("Workshops"), url_name="workshops:list", perm=Perm.VIEW)
