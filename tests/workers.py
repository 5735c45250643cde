"""Other processes for tests, each started one way: a real Celery worker (solo pool, on the
test database and a given broker, or with an environment of its own), ``manage.py`` commands,
and this process's Celery app pointed at a test broker. Drills, jobs, reports, the browser
journey, the upgrade test and the embedded stack use them."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[1]


def database_url(name: str | None = None) -> str:
    db = django_settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{name or db['NAME']}"


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_worker(
    *,
    log: Path,
    broker_url: str = "",
    media_root: Path | None = None,
    var_dir: Path | None = None,
    extra_env: dict | None = None,
    env: dict | None = None,
) -> subprocess.Popen:
    """A real Celery worker (solo pool) on the test database and ``broker_url``, its files
    under ``media_root`` and ``var_dir``; or, given ``env``, with exactly that environment
    (the embedded default: no database or broker named at all). Its output goes to ``log``."""
    if env is None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "MEDIA_ROOT": str(media_root),
            "VAR_DIR": str(var_dir),
            "CONN_MAX_AGE": "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **(extra_env or {}),
        }
    env = {key: value for key, value in env.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    out = log.open("ab")
    try:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    finally:
        out.close()  # the child keeps its own descriptor


@contextmanager
def running_worker(**kwargs) -> Iterator[subprocess.Popen]:
    """``start_worker(**kwargs)``, stopped when the block ends."""
    worker = start_worker(**kwargs)
    try:
        yield worker
    finally:
        stop(worker)


@contextmanager
def celery_app_at(broker_url: str, settings, monkeypatch) -> Iterator:
    """Point this process's Celery app (the publisher) at ``broker_url``, with short socket
    time-outs; restore it after. ``settings`` and ``monkeypatch`` are the test's fixtures."""
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    settings.CELERY_BROKER_URL = broker_url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    forget_connections(app)
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved
        forget_connections(app)


def forget_connections(app=None) -> None:
    """Drop the app's cached connection and producer pools (as Celery does after a fork), so
    the next publish connects to the broker configured now (this process's app by default)."""
    if app is None:
        from config.celery import app
    app._pool = None
    app.amqp._producer_pool = None


def manage(env: dict, *args: str, cwd: Path = ROOT, timeout: int = 300) -> str:
    """``manage.py *args`` in its own process with ``env`` (of the code in ``cwd``); its
    output, or a failure that quotes what it printed."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, (
        f"manage.py {' '.join(args)[:80]} in {cwd} failed:\n{done.stdout[-2000:]}\n"
        f"{done.stderr[-3000:]}"
    )
    return done.stdout
