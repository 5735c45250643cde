"""The group contact's enterprise switcher, at the top of every page of ``/my/``."""

from django import template

from score_portal.access import access_for

from .. import selectors

register = template.Library()


@register.inclusion_tag("contacts/_switcher.html", takes_context=True)
def contact_switcher(context, enterprise):
    """For a group contact, the group's enterprises to choose from (one query); nothing for
    the contact of a single enterprise."""
    request = context["request"]
    enterprises = []
    if access_for(request.user).group_ids:
        enterprises = selectors.contact_enterprises(request.user)
    return {
        "enterprise": enterprise,
        "enterprises": enterprises if len(enterprises) > 1 else [],
        "next": request.get_full_path(),
    }
