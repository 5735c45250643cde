"""Helpers for the fault drills: private Redis instances, real Celery workers, the test
database as a URL. Every process started here is stopped in a ``finally``."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.conftest import service_required

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgresql_only():
    """The drills share the test database with other processes: PostgreSQL only."""
    if connection.vendor != "postgresql":
        pytest.skip("fault drills run on PostgreSQL (set DATABASE_URL)")


def database_url(name: str | None = None) -> str:
    db = django_settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{name or db['NAME']}"


def free_port() -> int:
    """A TCP port nobody listens on right now (the drill's private Redis takes it later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ping(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001
        return False


@contextlib.contextmanager
def private_redis(port: int):
    """A throw-away redis-server on ``port`` (no persistence), killed on exit. Never the
    shared instance on 6379."""
    binary = shutil.which("redis-server")
    if binary is None:
        service_required("redis-server", "the binary is not installed")
    assert port != 6379
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not _ping(port):
            if process.poll() is not None or time.monotonic() > deadline:
                service_required("redis-server", f"a private instance on {port} did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_worker(
    *, broker_url: str, media_root: Path, var_dir: Path, log: Path, extra_env: dict | None = None
) -> subprocess.Popen:
    """A real Celery worker (solo pool) on the test database and ``broker_url``."""
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


def wait_for(
    predicate, *, timeout: float, what: str, log: Path | None = None, interval: float = 0.1
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n{tail}")


@contextlib.contextmanager
def celery_app_at(broker_url: str, settings, monkeypatch):
    """Point this process's Celery app (the publisher) at ``broker_url``; restore after."""
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.broker_transport_options)
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
    """Drop the app's cached connection and producer pools (as Celery does after a fork),
    so the next publish connects to the broker configured now."""
    if app is None:
        from config.celery import app
    app._pool = None
    app.amqp._producer_pool = None
