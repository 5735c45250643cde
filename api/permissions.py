from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from score_portal.access import access_for


class HoldsPerm(BasePermission):
    """Like the pages' ``require_perm``: 403 unless the user holds the view's ``required_perm``
    at some partner (objects outside the user's scope then answer 404)."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        access = access_for(request.user)
        if access.is_contact_only:
            raise NotFound  # an enterprise contact: nothing of the API exists (issue 16)
        return access.has_perm(view.required_perm)
