"""Make every cached programme figure stale (after loading data around the services)."""

from django.core.management.base import BaseCommand

from score_portal.figures_cache import figures_changed


class Command(BaseCommand):
    help = (
        "Record a change to the programme figures' data, so every cached figure (dashboards, "
        "home panels) is computed again on its next request: after raw SQL or a bulk load "
        "that went around the services. Saves and deletes through the models, the services' "
        "bulk writes, seed_demo and restore do it themselves."
    )

    def handle(self, *args, **options):
        figures_changed()
        self.stdout.write("Cached programme figures are stale; they are computed on next use.")
