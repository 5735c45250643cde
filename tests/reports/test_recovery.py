"""Recovery without an operator: a lost worker's run is claimed again, a run whose message was
never published is queued again, and a file left by a killed worker is replaced."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from reports import services
from reports.models import ReportRun

from .factories import ReportRunFactory

pytestmark = pytest.mark.django_db


def _ago(**kwargs):
    return timezone.now() - dt.timedelta(**kwargs)


def test_a_run_running_past_the_stuck_threshold_is_claimed_again(cast, settings):
    settings.REPORT_STUCK_AFTER_SECONDS = 600
    lost = ReportRunFactory(
        partner=cast.zj, status="running", started_at=_ago(minutes=11), attempts=1
    )
    busy = ReportRunFactory(
        partner=cast.zj,
        status="running",
        started_at=_ago(minutes=9),
        language="zh-hans",
        attempts=1,
    )
    assert services.report_claim(run_id=lost.pk)
    assert not services.report_claim(run_id=busy.pk)
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == ("running", 2)
    assert timezone.now() - lost.started_at < dt.timedelta(minutes=1)


def test_the_stuck_threshold_is_a_setting(cast, settings):
    run = ReportRunFactory(partner=cast.zj, status="running", started_at=_ago(seconds=30))
    settings.REPORT_STUCK_AFTER_SECONDS = 60
    assert not run.may_restart
    settings.REPORT_STUCK_AFTER_SECONDS = 20
    assert run.may_restart


def test_requeue_publishes_only_runs_that_never_started_and_waited(cast):
    waiting = ReportRunFactory(partner=cast.zj)
    ReportRun.objects.filter(pk=waiting.pk).update(created_at=_ago(minutes=3))
    ReportRunFactory(partner=cast.zj, language="zh-hans")  # just requested
    released = ReportRunFactory(partner=cast.sc, started_at=_ago(minutes=1))  # retry pending
    ReportRun.objects.filter(pk=released.pk).update(created_at=_ago(minutes=5))
    ReportRunFactory(partner=cast.sc, language="zh-hans", status="done")
    with mock.patch("reports.tasks.build_report.delay") as delay:
        assert services.reports_requeue_waiting() == 1
    delay.assert_called_once_with(str(waiting.pk))


def test_requeue_counts_nothing_while_the_broker_is_down(cast):
    waiting = ReportRunFactory(partner=cast.zj)
    ReportRun.objects.filter(pk=waiting.pk).update(created_at=_ago(minutes=3))
    with mock.patch("reports.tasks.build_report.delay", side_effect=ConnectionError):
        assert services.reports_requeue_waiting() == 0


def test_a_file_left_by_a_killed_worker_is_replaced(figures, media):
    from reports.models import report_upload_to

    run = ReportRunFactory(partner=figures.cast.zj, status="running", started_at=_ago(seconds=1))
    leftover = media / report_upload_to(run, run.file_name("pdf"))
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a PDF")
    services.report_build(run_id=run.pk)
    assert [p.name for p in leftover.parent.glob("*.pdf")] == [leftover.name]
    assert leftover.read_bytes().startswith(b"%PDF")


def test_it_releases_a_lost_run_and_queues_it_again_from_beat(cast, settings):
    """score_portal.jobs.recover (beat) hands a dead worker's run back, or fails it."""
    from score_portal import jobs

    settings.REPORT_STUCK_AFTER_SECONDS = 600
    lost = ReportRunFactory(
        partner=cast.zj, status="running", started_at=_ago(minutes=11), attempts=1
    )
    spent = ReportRunFactory(
        partner=cast.zj,
        status="running",
        started_at=_ago(minutes=11),
        attempts=ReportRun.MAX_ATTEMPTS,
        language="zh-hans",
    )
    with mock.patch("reports.tasks.build_report.delay") as delay:
        assert jobs.recover()["reports.ReportRun"] == 2
    delay.assert_called_once_with(str(lost.pk))
    lost.refresh_from_db()
    spent.refresh_from_db()
    assert (lost.status, lost.started_at) == ("pending", None)
    assert spent.status == "failed" and "多次" in spent.error
