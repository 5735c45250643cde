from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import panels  # noqa: F401  (registers the menu entry, the home panel and the enrolments section)
        from .models import KPIReading
        from .services.kpi import reading_deleted, reading_saved

        # KPILatest is derived from the readings: kept current on every write of a reading.
        post_save.connect(reading_saved, sender=KPIReading, dispatch_uid="kpi_latest_saved")
        post_delete.connect(reading_deleted, sender=KPIReading, dispatch_uid="kpi_latest_deleted")
