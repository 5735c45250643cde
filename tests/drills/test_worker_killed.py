"""Drill: the worker building a report is killed (SIGKILL, out of memory, machine gone).

What recovers it, without an operator: the task is ``acks_late``, so the message stays
unacknowledged in Redis; after the broker's ``visibility_timeout`` (setting
``CELERY_VISIBILITY_TIMEOUT``, one hour by default) any worker puts it back on the queue; the
redelivered task claims the row again because it has been "running" for longer than
``REPORT_STUCK_AFTER_SECONDS`` (ten minutes by default, more than the hard time limit), and
builds it. The drill shortens both (3 s and 2 s) in the workers' environment so it takes
seconds instead of an hour; it starts the new worker once the visibility timeout has passed,
because a starting worker sweeps the unacknowledged messages at once (a running one every
``unacked_restore_interval`` × ``unacked_restore_throttle``, about 100 s).
An operator who does not want to wait presses "try again" (``report_retry``), allowed after
the same ``REPORT_STUCK_AFTER_SECONDS``.
"""

import signal
import time

import pytest

from reports.models import ReportRun
from reports.services import report_request
from tests.reports.factories import EnterpriseFactory

from .conftest import celery_app_at, free_port, private_redis, start_worker, stop, wait_for

pytestmark = [pytest.mark.services, pytest.mark.drills]

FAST_RECOVERY = {"CELERY_VISIBILITY_TIMEOUT": "3", "REPORT_STUCK_AFTER_SECONDS": "2"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_survives_its_worker_being_killed(cast, settings, monkeypatch, tmp_path):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    for number in range(3):
        EnterpriseFactory(partner=cast.zj, name=f"Drill Enterprise {number}")
    log = tmp_path / "workers.log"
    workers = []
    with private_redis(free_port()) as broker, celery_app_at(broker, settings, monkeypatch):
        try:
            outcome = report_request(
                acting_user=cast.zj_manager, kind="partner", partner=cast.zj, language="zh-hans"
            )
            assert outcome.queued, "the private broker refused the message"
            run = outcome.run

            def status():
                return ReportRun.objects.values_list("status", flat=True).get(pk=run.pk)

            workers.append(
                start_worker(
                    broker_url=broker,
                    media_root=media,
                    var_dir=tmp_path / "var",
                    log=log,
                    extra_env=FAST_RECOVERY,
                )
            )
            wait_for(
                lambda: status() != "pending",
                timeout=60,
                what="the run to start",
                log=log,
                interval=0.05,
            )
            assert status() == "running", "the report finished before the drill could kill"
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(timeout=10)
            killed_at = time.monotonic()
            assert status() == "running"  # the row still says running: its worker is gone
            # A starting worker puts back the unacknowledged messages older than the
            # visibility timeout (later, it looks again only every ~100 s).
            time.sleep(float(FAST_RECOVERY["CELERY_VISIBILITY_TIMEOUT"]) + 0.5)

            workers.append(
                start_worker(
                    broker_url=broker,
                    media_root=media,
                    var_dir=tmp_path / "var",
                    log=log,
                    extra_env=FAST_RECOVERY,
                )
            )
            wait_for(
                lambda: status() in {"done", "failed"},
                timeout=90,
                what="the redelivered report",
                log=log,
                interval=0.2,
            )
            recovered_in = time.monotonic() - killed_at
        finally:
            for worker in workers:
                stop(worker)
    run.refresh_from_db()
    assert (run.status, run.progress, run.error) == ("done", 100, ""), log.read_text()[-3000:]
    assert run.attempts == 2  # claimed by the killed worker, then by the new one
    pdfs = sorted((media / "reports").rglob("*.pdf"))
    assert [p.relative_to(media).as_posix() for p in pdfs] == [run.file.name]
    assert pdfs[0].parent.name == str(run.pk) and pdfs[0].stat().st_size > 1000
    print(f"recovered {recovered_in:.1f} s after the kill")  # noqa: T201
