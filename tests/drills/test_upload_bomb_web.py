"""Drill: a decompression bomb uploaded to a real web process (gunicorn, the production
server) answers at once, the web process's memory stays small, and a real worker fails the
job with a clear message. Issue 12, finding 4: before, the request parsed the upload and a
400 KB workbook took a web worker to ~2 GB for 30 s, then it was killed (500)."""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from enterprises.models import ImportJob
from tests.enterprises.test_import_limits import HUGE_STRING, MANY_CELLS

from .conftest import ROOT, database_url, free_port, private_redis, start_worker, stop, wait_for

pytestmark = [pytest.mark.services, pytest.mark.drills]

PASSWORD = "a long drill password"  # noqa: S105
WEB_MEMORY_LIMIT_KB = 300 * 1024


def _start_web(port: int, broker_url: str, tmp_path: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "VAR_DIR": str(tmp_path / "var"),
        "CONN_MAX_AGE": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    out = log.open("ab")
    try:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    finally:
        out.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def _hidden_inputs(html: str) -> dict:
    fields = {}
    for tag in re.findall(r"<input[^>]+>", html):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                fields[name.group(1)] = value.group(1) if value else ""
    return fields


def _multipart(fields: dict, file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{file_name}"\r\nContent-Type: application/vnd.openxmlformats-'
        f"officedocument.spreadsheetml.sheet\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _peak_memory_kb(master_pid: int) -> int:
    """The largest peak resident size (VmHWM) of gunicorn's master and its workers."""
    pids = [master_pid]
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    peak = 0
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            match = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
            if match:
                peak = max(peak, int(match.group(1)))
    return peak


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "bomb, message",
    [(HUGE_STRING, "too large once unpacked"), (MANY_CELLS, "more than 100 columns")],
)
def test_a_bomb_sent_to_gunicorn_answers_at_once_with_the_web_process_small(
    cast, tmp_path, bomb, message
):
    cast.zj_staff.password = PBKDF2PasswordHasher().encode(PASSWORD, "drillsalt1234567")
    cast.zj_staff.save(update_fields=["password"])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "processes.log"
    with private_redis(free_port()) as broker:
        web = _start_web(port, broker, tmp_path, log)
        worker = None
        try:
            wait_for(lambda: _answers(f"{base}/healthz"), timeout=60, what="gunicorn", log=log)
            jar = http.cookiejar.CookieJar()
            browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            login_page = browser.open(f"{base}/accounts/login/").read().decode()
            fields = {**_hidden_inputs(login_page), "username": "zj-staff", "password": PASSWORD}
            home = browser.open(f"{base}/accounts/login/", urllib.parse.urlencode(fields).encode())
            assert "/accounts/login/" not in home.geturl(), "the drill user could not log in"

            upload_page = browser.open(f"{base}/enterprises/transfer/import/").read().decode()
            body, content_type = _multipart(
                {**_hidden_inputs(upload_page), "partner": str(cast.zj.pk)}, "bomb.xlsx", bomb
            )
            request = urllib.request.Request(
                f"{base}/enterprises/transfer/import/", body, {"Content-Type": content_type}
            )
            started = time.monotonic()
            answer = browser.open(request)
            elapsed = time.monotonic() - started
            assert answer.status == 200 and "/enterprises/transfer/import/" in answer.geturl()
            assert elapsed < 10, f"the upload took {elapsed:.1f} s"
            peak = _peak_memory_kb(web.pid)
            assert 0 < peak < WEB_MEMORY_LIMIT_KB, f"the web process peaked at {peak} kB"

            job = ImportJob.objects.get()
            worker = start_worker(
                broker_url=broker, media_root=tmp_path / "media", var_dir=tmp_path / "var", log=log
            )
            wait_for(
                lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED,
                timeout=120,
                what="the worker to fail the job",
                log=log,
            )
            assert message in ImportJob.objects.get(pk=job.pk).error
            assert _answers(f"{base}/healthz")  # the site kept serving throughout
        finally:
            if worker is not None:
                stop(worker)
            stop(web)
