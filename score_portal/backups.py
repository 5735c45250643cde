"""Backups of the PostgreSQL database (pg_dump custom format) and of MEDIA_ROOT (tar.gz).

A backup is a folder ``<BACKUP_DIR>/<UTC timestamp>/`` holding ``database.dump``,
``media.tar.gz`` and ``manifest.json``. Restoring replaces the database's objects with the
dump's (``pg_restore --clean --if-exists``) and extracts the media files over MEDIA_ROOT.

pg_dump and pg_restore must be of the server's major version: they are taken from
``/usr/lib/postgresql/<major>/bin`` (Debian's layout), or ``PG_BIN_DIR``, or the PATH.
SQLite is refused: copy the file with ``sqlite3 var/score_portal.sqlite3 ".backup FILE"``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

DUMP, MEDIA, MANIFEST = "database.dump", "media.tar.gz", "manifest.json"


class BackupError(Exception):
    pass


def _database(alias: str = "default") -> dict:
    return check_supported(dict(settings.DATABASES[alias]))


def check_supported(db: dict) -> dict:
    """The database settings, or BackupError saying what to do instead (SQLite)."""
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "Backup and restore support PostgreSQL only (DATABASE_URL). For the SQLite "
            f"file, stop the portal and copy {db['NAME']}, or run: sqlite3 {db['NAME']} "
            '".backup /path/to/copy.sqlite3"'
        )
    return db


def server_major_version(alias: str = "default") -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_binary(name: str, alias: str = "default") -> str:
    """pg_dump/pg_restore matching the server's major version."""
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{server_major_version(alias)}/bin") / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found (install postgresql-client of the server's "
            "version, or set PG_BIN_DIR)."
        )
    return found


def _connection_args(db: dict) -> tuple[list[str], dict]:
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}"
        )


def backup(*, target_dir: Path | None = None, alias: str = "default") -> Path:
    """Write a backup folder and return its path."""
    db = _database(alias)
    base = Path(target_dir or settings.BACKUP_DIR)
    folder = base / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder.mkdir(parents=True)
    args, env = _connection_args(db)
    _run(
        [
            pg_binary("pg_dump", alias),
            *args,
            "--format",
            "custom",
            "--no-owner",
            "--no-acl",
            "--file",
            str(folder / DUMP),
            db["NAME"],
        ],
        env,
    )
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if media_root.is_dir():
            archive.add(media_root, arcname=".")
    (folder / MANIFEST).write_text(
        json.dumps(
            {
                "created": datetime.now(UTC).isoformat(),
                "database": db["NAME"],
                "server_major_version": server_major_version(alias),
                "media_root": str(media_root),
            },
            indent=2,
        )
    )
    return folder


def restore(folder: Path, *, alias: str = "default") -> None:
    """Restore a backup folder into the configured database and MEDIA_ROOT."""
    db = _database(alias)
    folder = Path(folder)
    if not (folder / DUMP).is_file():
        raise BackupError(f"{folder} is not a backup folder (no {DUMP}).")
    args, env = _connection_args(db)
    connections[alias].close()  # pg_restore --clean drops objects; do not hold locks on them
    _run(
        [
            pg_binary("pg_restore", alias),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--dbname",
            db["NAME"],
            str(folder / DUMP),
        ],
        env,
    )
    if (folder / MEDIA).is_file():
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            # "data" refuses absolute paths, links out of the folder and special files.
            archive.extractall(media_root, filter="data")
