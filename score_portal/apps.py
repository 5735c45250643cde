from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorePortalConfig(AppConfig):
    name = "score_portal"
    verbose_name = _("SCORE Portal: partners and people")

    def ready(self):
        from . import lookups, middleware, panels  # noqa: F401  (login receiver, home panels)

        lookups.register()
        from . import figures_cache

        figures_cache.connect()
