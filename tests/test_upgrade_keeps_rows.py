"""An existing database survives the moves to the ``catalogue`` app and of Enrolment into
``enterprises``.

A scratch PostgreSQL database is migrated and seeded (``seed_demo``) by the code of the commit
just before the catalogue app (taken from git history with ``git archive``), then migrated by
the code of this checkout. Every table keeps every row, and the content types and permissions
of Module and KPIDefinition are renamed to ``catalogue`` (those of Enrolment and its history to
``enterprises``), not created anew.
"""

import os
import subprocess
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.conftest import service_required
from tests.workers import database_url, manage

ROOT = Path(__file__).resolve().parents[1]
# main just before the catalogue app, for a clone whose history does not reach catalogue/
# (the dynamic look-up below is preferred: it stays right after a rebase).
BEFORE_CATALOGUE = "5b01eb1"
MOVED = {
    ("workshops", "module"): ("catalogue", "module"),
    ("enterprises", "kpidefinition"): ("catalogue", "kpidefinition"),
    ("workshops", "enrolment"): ("enterprises", "enrolment"),
    ("workshops", "historicalenrolment"): ("enterprises", "historicalenrolment"),
}

pytestmark = pytest.mark.services


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def _commit_before_catalogue() -> str:
    try:
        first = _git("rev-list", "--reverse", "HEAD", "--", "catalogue/").splitlines()
        return _git("rev-parse", f"{first[0]}^" if first else BEFORE_CATALOGUE)
    except (OSError, subprocess.CalledProcessError) as exc:
        service_required("git history", f"cannot find the commit before catalogue/: {exc}")


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


def _snapshot(name: str) -> dict:
    conn = _connect(name)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            tables = sorted(row[0] for row in cursor.fetchall())
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (catalogue names)
                counts[table] = cursor.fetchone()[0]
            cursor.execute("SELECT id, app_label, model FROM django_content_type")
            content_types = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
            cursor.execute("SELECT id, content_type_id, codename FROM auth_permission")
            permissions = set(cursor.fetchall())
    finally:
        conn.close()
    return {"counts": counts, "content_types": content_types, "permissions": permissions}


def test_it_keeps_every_row_when_an_existing_database_moves_to_the_catalogue(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the upgrade check runs on PostgreSQL (set DATABASE_URL)")
    before = _commit_before_catalogue()
    old_code = tmp_path / "old"
    old_code.mkdir()
    archive = tmp_path / "old.tar"
    _git("archive", "--format=tar", f"--output={archive}", before)
    with tarfile.open(archive) as tar:
        tar.extractall(old_code, filter="data")

    scratch = f"{django_settings.DATABASES['default']['NAME']}_upgrade"
    _admin(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{scratch}"')
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "PYTHONPATH"}
    }
    env.update(
        DATABASE_URL=database_url(scratch), VAR_DIR=str(tmp_path / "var"), DJANGO_ENV="development"
    )
    try:
        manage(env, "migrate", "--no-input", "-v", "0", cwd=old_code)
        manage(env, "seed_demo", cwd=old_code)
        old = _snapshot(scratch)
        assert old["counts"]["workshops_module"] >= 5
        assert old["counts"]["enterprises_kpidefinition"] > 0
        assert old["counts"]["workshops_enrolment"] > 0

        manage(env, "migrate", "--no-input", "-v", "0", cwd=ROOT)
        new = _snapshot(scratch)
        check = manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            (
                "from catalogue.models import KPIDefinition, Module; "
                "from enterprises.models import Enrolment; "
                "from django.contrib.auth.models import Permission; "
                "print(Module.objects.count(), KPIDefinition.objects.count(), "
                "Permission.objects.filter(content_type__app_label='catalogue', "
                "content_type__model__in=['module', 'kpidefinition']).count(), "
                "Enrolment.objects.count(), Enrolment.history.count(), "
                "Permission.objects.filter(content_type__app_label='enterprises', "
                "content_type__model__in=['enrolment', 'historicalenrolment']).count())"
            ),
        )
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')

    # Models added since that commit bring new (empty) tables, content types and permissions;
    # every table that was there keeps exactly its rows.
    grown = {"django_migrations", "django_content_type", "auth_permission"}
    assert new["counts"]["django_migrations"] > old["counts"]["django_migrations"]
    assert {t: new["counts"].get(t) for t in old["counts"] if t not in grown} == {
        t: n for t, n in old["counts"].items() if t not in grown
    }
    # Tables added since are empty, except those a data migration derives from the rows kept:
    # the latest follow-up per enterprise and KPI (enterprises 0010_fill_kpi_latest) and the
    # enterprise groups made from each partner's free-text parent groups (enterprises 0018);
    derived = {"enterprises_kpilatest", "enterprises_enterprisegroup"}
    # and those a data migration seeds with reference data: the standard workshop
    # evaluation questions (catalogue 0007_standard_evaluation_questions) and the SCORE
    # assessment checklists for M1–M5 (catalogue 0009_install_checklists).
    installed = {
        "catalogue_evaluationquestion": 6,
        "catalogue_checklistversion": 5,
        "catalogue_checklistitem": 50,
    }
    added = set(new["counts"]) - set(old["counts"])
    assert {t: new["counts"][t] for t in added - derived - set(installed) if new["counts"][t]} == {}
    assert {t: new["counts"][t] for t in installed} == installed
    assert 0 < new["counts"]["enterprises_kpilatest"] <= old["counts"]["enterprises_kpireading"]
    # the old demo's one parent-group text per partner: at most one group per partner
    assert 0 < new["counts"]["enterprises_enterprisegroup"] <= old["counts"]["score_portal_partner"]
    # The same content type rows (same ids, so permissions and admin log entries follow),
    # the moved models under their new label.
    assert {pk: new["content_types"].get(pk) for pk in old["content_types"]} == {
        pk: MOVED.get(label, label) for pk, label in old["content_types"].items()
    }
    assert old["permissions"] <= new["permissions"]
    modules, kpis, permissions, enrolments, enrolment_history, enrolment_permissions = map(
        int, check.splitlines()[-1].split()
    )
    assert (modules, kpis) == (
        old["counts"]["workshops_module"],
        old["counts"]["enterprises_kpidefinition"],
    )
    assert permissions == 8  # add, change, delete and view of each moved model
    assert (enrolments, enrolment_history) == (
        old["counts"]["workshops_enrolment"],
        old["counts"]["workshops_historicalenrolment"],
    )
    assert enrolment_permissions == 8
