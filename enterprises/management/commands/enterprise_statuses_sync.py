"""Give every enterprise the status its enrolments call for."""

from django.core.management.base import BaseCommand

from enterprises.services.enrolments import enterprise_statuses_sync


class Command(BaseCommand):
    help = (
        "Give every enterprise the status its enrolments call for (a repair after a bulk "
        "load: the enrolment services keep it current). Safe to run again."
    )

    def handle(self, *args, **options):
        changed = enterprise_statuses_sync()
        self.stdout.write(f"Enterprise statuses: {changed} changed.")
