"""Import enterprises and enrolments from an XLSX or CSV file, as the web import does."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from enterprises.transfer.importing import ERROR, run_import
from enterprises.transfer.parsing import parse
from score_portal.models import Membership, Partner, Role


class Command(BaseCommand):
    help = (
        "Import enterprises (and enrolments) from an .xlsx or .csv file for one partner. "
        "Nothing is written if any row fails; exits with an error status then."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx or .csv file")
        parser.add_argument("--partner", required=True, help="partner code, for example ZJ")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what each row would do, write nothing"
        )
        parser.add_argument(
            "--user",
            help="username of the acting partner staff member "
            "(default: a staff member of the partner)",
        )

    def handle(self, *args, path, partner, dry_run, user, **options):
        partner_obj = Partner.objects.filter(code__iexact=partner).first()
        if partner_obj is None:
            raise CommandError(f"No partner with code {partner!r}.")
        acting_user = self._acting_user(partner_obj, user)
        file_path = Path(path)
        if not file_path.is_file():
            raise CommandError(f"No such file: {path}")
        with file_path.open("rb") as handle:
            parsed = parse(handle, file_path.name)
        try:
            result = run_import(
                acting_user=acting_user, partner=partner_obj, parsed=parsed, dry_run=dry_run
            )
        except PermissionDenied:
            raise CommandError(f"{acting_user} may not import for {partner_obj.code}.") from None
        for message in result.file_errors:
            self.stderr.write(message)
        for row in result.rows:
            details = "; ".join(
                f"{e['column']}: {e['message']}" if e["column"] else e["message"]
                for e in row.errors
            )
            if row.changes:
                details = "changed " + ", ".join(row.changes)
            if row.enrolment:
                details = f"{details}; enrolled in {row.enrolment}".lstrip("; ")
            line = f"row {row.row}: {row.outcome} {row.name}" + (f" ({details})" if details else "")
            self.stdout.write(self.style.ERROR(line) if row.outcome == ERROR else line)
        counts = result.counts
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
        if result.has_errors:
            raise CommandError("Nothing was imported: correct the errors above and run again.")
        self.stdout.write(
            self.style.SUCCESS("Dry run: nothing was written." if dry_run else "Import applied.")
        )

    def _acting_user(self, partner, username):
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {username!r}.")
            return user
        membership = (
            Membership.objects.select_related("user")
            .filter(partner=partner, role=Role.PARTNER_STAFF, user__is_active=True)
            .order_by("created_at")
            .first()
        )
        if membership is None:
            raise CommandError(f"Partner {partner.code} has no active staff member: give --user.")
        return membership.user
