import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules

from score_portal.seeding import SCALES, SeedContext, steps_in_layer_order


class Command(BaseCommand):
    help = "Build a believable demo programme (idempotent: running it again duplicates nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")

    def handle(self, *args, scale, **options):
        autodiscover_modules("seed")
        context = SeedContext(scale=scale, stdout=self.stdout)
        started = time.monotonic()
        for step in steps_in_layer_order():
            with transaction.atomic():
                step(context)
        if connection.vendor == "postgresql":
            # Bulk inserts leave the planner's statistics stale until autovacuum comes by;
            # without them it picks nested loops that take seconds on programme-scale data.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready ({scale}) in {time.monotonic() - started:.1f} s."))
        logins = context.shared.get("logins", [])
        if logins:
            self.stdout.write("Demo logins (password 'demo'):")
            for username, description in logins:
                self.stdout.write(f"  {username:<12} {description}")
