"""Backup and restore, for real: pg_dump of the test database and a tar.gz of MEDIA_ROOT,
restored by ``manage.py restore`` (another process) into a fresh database and media folder,
then read back with psycopg2."""

import io
import os
import subprocess
import sys

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from enterprises.models import Enterprise
from score_portal.models import Partner
from tests.factories import EnterpriseFactory

from .conftest import ROOT, database_url

pytestmark = [pytest.mark.services, pytest.mark.drills]


def _connect(name: str):
    db = django_settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=name,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
    )


def _admin(sql: str) -> None:
    admin = _connect("postgres")
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_into_a_fresh_database_with_its_media(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    EnterpriseFactory(partner=cast.zj, name="Backup Drill Works", name_zh="备份演练工厂")
    evidence = settings.MEDIA_ROOT / "reports" / "2026" / "03" / "evidence.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.7 drill " * 100)

    out = io.StringIO()
    call_command("backup", dir=tmp_path / "backups", stdout=out)
    folder = tmp_path / "backups" / out.getvalue().strip().rsplit("/", 1)[-1]
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}

    fresh = f"{django_settings.DATABASES['default']['NAME']}_restore"
    _admin(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{fresh}"')
    try:
        restored_media = tmp_path / "restored-media"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(fresh),
            "MEDIA_ROOT": str(restored_media),
            "VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(folder), "--no-input"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]

        connection = _connect(fresh)
        try:
            with connection.cursor() as cursor:
                assert (Enterprise._meta.db_table, Partner._meta.db_table) == (
                    "enterprises_enterprise",
                    "score_portal_partner",
                )
                cursor.execute(
                    "SELECT e.name, e.name_zh, p.code FROM enterprises_enterprise e"
                    " JOIN score_portal_partner p ON p.id = e.partner_id"
                    " WHERE e.name = %s",
                    ["Backup Drill Works"],
                )
                assert cursor.fetchall() == [("Backup Drill Works", "备份演练工厂", "ZJ")]
                cursor.execute("SELECT username FROM auth_user ORDER BY username")
                assert [row[0] for row in cursor.fetchall()] == sorted(
                    ["programme", "zj-manager", "zj-staff", "zj-trainer", "sc-staff", "norole"]
                )
                cursor.execute("SELECT count(*) FROM django_migrations")
                assert cursor.fetchone()[0] > 0
        finally:
            connection.close()
        copy = restored_media / "reports" / "2026" / "03" / "evidence.pdf"
        assert copy.read_bytes() == evidence.read_bytes()
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
