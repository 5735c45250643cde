"""The authentication backend: Django's, loading the person's preferences with them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalModelBackend(ModelBackend):
    """Django's ``ModelBackend`` whose ``get_user`` (every request of a signed-in person) joins
    their profile and default partner, so the pages that read the preferences (the language
    middleware, the dashboard's default partner) need no query of their own."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("profile__default_partner").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
