from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainersConfig(AppConfig):
    name = "trainers"
    verbose_name = _("Trainers")

    def ready(self):
        from . import panels, visit_panels, workshop_panels  # noqa: F401  (menus, panels)
