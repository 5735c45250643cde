import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from demo.context import SCALES, SeedContext
from demo.steps import (
    assessments,
    contacts,
    enterprises,
    platform,
    reports,
    trainers,
    workshops,
)
from score_portal.figures_cache import figures_changed

# Lowest layer first: each step may use what the steps before it made.
STEPS = [
    platform.seed_partners_and_logins,
    enterprises.seed_enterprises,
    enterprises.seed_kpi_readings,
    workshops.seed_enrolments,
    trainers.seed_trainers_and_workshops,
    assessments.seed_assessments,
    reports.seed_targets,
    workshops.sync_enterprise_statuses,
    contacts.seed_enterprise_contact,
    contacts.seed_group_contact,
]


class Command(BaseCommand):
    help = "Build a believable demo programme (idempotent: running it again duplicates nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")

    def handle(self, *args, scale, **options):
        context = SeedContext(scale=scale, stdout=self.stdout)
        started = time.monotonic()
        for step in STEPS:
            with transaction.atomic():
                step(context)
        figures_changed()  # bulk inserts send no signals: cached figures are stale
        if connection.vendor == "postgresql":
            # Bulk inserts leave the planner's statistics stale until autovacuum comes by;
            # without them it picks nested loops that take seconds on programme-scale data.
            # VACUUM too: index-only scans (the unverified readings' partial index) need the
            # visibility map that only a vacuum writes (not possible inside a transaction,
            # as in a test).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({scale}) in {time.monotonic() - started:.1f} s.")
        )
        logins = context.shared.get("logins", [])
        if logins:
            self.stdout.write("Demo logins (password 'demo'):")
            for username, description in logins:
                self.stdout.write(f"  {username:<12} {description}")
