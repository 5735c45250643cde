from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainersConfig(AppConfig):
    name = "trainers"
    verbose_name = _("Trainers")

    def ready(self):
        from . import panels  # noqa: F401  (the home panel and the hub sections)
