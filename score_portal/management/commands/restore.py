from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from score_portal.backups import BackupError, restore
from score_portal.figures_cache import figures_changed


class Command(BaseCommand):
    help = (
        "Restore a folder written by `backup`: replaces the database's tables with the "
        "dump's (pg_restore --clean --if-exists) and extracts the media files over "
        "MEDIA_ROOT. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A backup folder.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]["NAME"]
        if options["interactive"]:
            answer = input(
                f"This replaces the contents of database {database} and adds the "
                f"media files to {settings.MEDIA_ROOT}. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore(options["path"])
            figures_changed()  # cached figures were computed from the data replaced
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {options['path']} into {database}.")
