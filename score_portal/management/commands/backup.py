from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from score_portal.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump -Fc) and MEDIA_ROOT (tar.gz) into "
        "BACKUP_DIR/<timestamp>/ (default var/backups). Prints the folder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="Parent folder of the backup (default: BACKUP_DIR).",
        )

    def handle(self, *args, **options):
        try:
            folder = backup(target_dir=options["dir"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
