"""Rebuild the materialised latest KPI follow-ups (KPILatest) from the readings."""

import time

from django.core.management.base import BaseCommand

from enterprises.services.kpi import kpi_latest_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild KPILatest (baseline and latest follow-up per enterprise and KPI) from the "
        "KPI readings: a repair after a bulk load or a restore. Safe while people work, "
        "and to run again (a chunk of enterprises per transaction)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = kpi_latest_rebuild()
        self.stdout.write(f"KPILatest: {rows} rows in {time.monotonic() - started:.1f} s.")
