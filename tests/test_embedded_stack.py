"""The embedded default, as ``make run`` starts it: nothing set but ``VAR_DIR``.

A fresh SQLite file is migrated from empty and seeded with ``seed_demo``; a real Celery worker
reads the filesystem broker's queue under ``VAR_DIR``; an enterprise import is previewed and
applied, and a partner report is built into a PDF and a spreadsheet, each by that worker,
each requested through the services the pages call. Everything runs in its own processes, on
its own files: the test database of the rest of the suite is not involved, so this runs the
same whatever ``DATABASE_URL`` the suite has.
"""

import os
import time
from pathlib import Path

import pytest

from .workers import manage, running_worker

pytestmark = pytest.mark.embedded_stack

REQUEST = """
from django.contrib.auth import get_user_model
from enterprises.transfer.jobs import import_job_create
from reports.services import report_request
from score_portal.models import Partner

staff = get_user_model().objects.get(username="zj-staff")
manager = get_user_model().objects.get(username="zj-manager")
zj = Partner.objects.get(code="ZJ")
data = "name,credit_code,city\\nEmbedded Silk Co.,,Huzhou\\nEmbedded Moulds Co.,,Ningbo\\n"
job = import_job_create(acting_user=staff, partner=zj, name="list.csv", data=data.encode())
outcome = report_request(acting_user=manager, kind="partner", partner=zj, language="zh-hans")
print(f"ids {job.pk} {outcome.run.pk}")
"""

STATE = """
from enterprises.models import ImportJob
from reports.models import ReportRun
job, run = ImportJob.objects.get(pk={job}), ReportRun.objects.get(pk={run})
print("state", job.status, run.status, bool(run.file), bool(run.xlsx_file), job.error, run.error)
"""

CONFIRM = """
from enterprises.models import Enterprise, ImportJob
from enterprises.transfer.jobs import import_job_confirm
job = ImportJob.objects.get(pk={job})
import_job_confirm(acting_user=job.requested_by, job=job)
"""

COUNT = """
from enterprises.models import Enterprise
print("count", Enterprise.objects.filter(name__startswith="Embedded ").count())
"""


def _env(var_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "MEDIA_ROOT"}
    }
    env.update(VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="config.settings")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def _shell(env, code: str) -> str:
    return manage(env, "shell", "-c", code)


def test_the_embedded_default_migrates_seeds_and_runs_jobs_in_a_real_worker(tmp_path):
    var_dir = tmp_path / "var"
    env = _env(var_dir)
    manage(env, "migrate", "--no-input", "-v", "0")  # from an empty database
    assert (var_dir / "score_portal.sqlite3").exists()
    manage(env, "seed_demo")
    ids = _shell(env, REQUEST).split("ids ")[-1].split()
    job, run = (repr(value) for value in ids)  # the jobs' ids (UUIDs)
    # the requests queued their work as files: the broker of the embedded default
    assert any((var_dir / "celery" / "queue").iterdir())
    log = tmp_path / "worker.log"
    with running_worker(env=env, log=log) as worker:

        def state():
            return _shell(env, STATE.format(job=job, run=run)).split("state ")[-1].split()

        deadline = time.monotonic() + 240
        while (current := state())[:2] != ["previewed", "done"]:
            assert "failed" not in current[:2], current
            assert worker.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, (current, log.read_text())
            time.sleep(1)
        assert current[2:4] == ["True", "True"], current  # the PDF and the spreadsheet
        _shell(env, CONFIRM.format(job=job))
        deadline = time.monotonic() + 120
        while state()[0] != "applied":
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(1)
        assert _shell(env, COUNT).split("count ")[-1].split() == ["2"]
