from django.apps import AppConfig


class ContactsConfig(AppConfig):
    """The enterprise contact's portal: their one enterprise, on a phone."""

    name = "contacts"
    verbose_name = "Enterprise portal"
