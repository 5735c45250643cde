import pytest
from django.core.management import CommandError, call_command

from score_portal.backups import BackupError, check_supported


def test_backups_refuse_sqlite_and_say_what_to_do():
    with pytest.raises(BackupError, match="PostgreSQL only.*sqlite3 /srv/portal.sqlite3"):
        check_supported({"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/portal.sqlite3"})


def test_restore_needs_a_backup_folder(tmp_path, settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        with pytest.raises(CommandError, match="PostgreSQL only"):
            call_command("restore", str(tmp_path), "--no-input")
    else:
        with pytest.raises(CommandError, match="not a backup folder"):
            call_command("restore", str(tmp_path), "--no-input")
