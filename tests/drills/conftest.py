"""Helpers for the fault drills: private Redis instances, real Celery workers, the test
database as a URL. Every process started here is stopped in a ``finally``."""

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import service_required
from tests.workers import (  # noqa: F401 (the drills' helpers)
    ROOT,
    celery_app_at,
    database_url,
    forget_connections,
    start_worker,
    stop,
)


@pytest.fixture(autouse=True)
def _postgresql_only():
    """The drills share the test database with other processes: PostgreSQL only."""
    if connection.vendor != "postgresql":
        pytest.skip("fault drills run on PostgreSQL (set DATABASE_URL)")


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
