"""Request, join, claim, retry and fail: the ReportRun state machine."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction

from reports import services
from reports.models import ReportRun
from reports.tasks import build_report

from .factories import ReportRunFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]  # also in the SQLite pass


@pytest.fixture
def no_broker():
    """Capture what would be published instead of talking to a broker."""
    with mock.patch("reports.tasks.build_report.delay") as delay:
        yield delay


def test_request_creates_a_pending_run_and_queues_it_on_commit(
    cast, no_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.report_request(
            acting_user=cast.zj_manager, kind="partner", partner=cast.zj, language="en"
        )
    assert not outcome.joined and outcome.queued is True
    assert outcome.run.status == ReportRun.Status.PENDING
    assert outcome.run.requested_by == cast.zj_manager
    no_broker.assert_called_once_with(str(outcome.run.pk))


def test_identical_requests_join_the_running_one(
    cast, no_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_request(
            acting_user=cast.zj_manager, kind="partner", partner=cast.zj, language="en"
        )
        second = services.report_request(
            acting_user=cast.zj_staff, kind="partner", partner=cast.zj, language="en"
        )
        other_language = services.report_request(
            acting_user=cast.zj_staff, kind="partner", partner=cast.zj, language="zh-hans"
        )
    assert second.joined and second.run.pk == first.run.pk
    assert other_language.run.pk != first.run.pk
    assert no_broker.call_count == 2
    assert ReportRun.objects.count() == 2


def test_database_refuses_two_active_runs_with_the_same_parameters(cast):
    run = ReportRunFactory(partner=cast.zj)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRunFactory(partner=cast.zj, params_key=run.params_key)
    run.status = ReportRun.Status.DONE
    run.save()
    ReportRunFactory(partner=cast.zj, params_key=run.params_key)  # a finished one may repeat


def test_request_after_done_creates_a_new_run(cast, no_broker):
    first = services.report_request(
        acting_user=cast.zj_manager, kind="partner", partner=cast.zj, language="en"
    ).run
    ReportRun.objects.filter(pk=first.pk).update(status=ReportRun.Status.DONE)
    again = services.report_request(
        acting_user=cast.zj_manager, kind="partner", partner=cast.zj, language="en"
    )
    assert not again.joined and again.run.pk != first.pk


@pytest.mark.parametrize("who", ["zj_trainer", "norole", "sc_staff"])
def test_only_reporting_roles_of_the_partner_may_request(cast, who, no_broker):
    with pytest.raises(PermissionDenied):
        services.report_request(
            acting_user=getattr(cast, who), kind="partner", partner=cast.zj, language="en"
        )


def test_programme_report_is_for_programme_managers_only(cast, no_broker):
    with pytest.raises(PermissionDenied):
        services.report_request(acting_user=cast.zj_manager, kind="programme", language="en")
    run = services.report_request(acting_user=cast.programme, kind="programme", language="en").run
    assert run.partner is None


def test_broker_down_leaves_the_run_pending_and_says_so(cast, django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "reports.tasks.build_report.delay", side_effect=OperationalError("Connection refused")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outcome = services.report_request(
            acting_user=cast.zj_manager, kind="partner", partner=cast.zj, language="en"
        )
    assert outcome.queued is False
    assert ReportRun.objects.get().status == ReportRun.Status.PENDING


def test_retry_requeues_a_failed_run(cast, no_broker, django_capture_on_commit_callbacks):
    run = ReportRunFactory(
        partner=cast.zj, status=ReportRun.Status.FAILED, error="boom", attempts=4
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.report_retry(acting_user=cast.zj_staff, run=run)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.PENDING and run.error == "" and run.attempts == 0
    assert outcome.queued is True
    no_broker.assert_called_once_with(str(run.pk))


def test_retry_is_refused_to_other_partners(cast, no_broker):
    run = ReportRunFactory(partner=cast.zj, status=ReportRun.Status.FAILED)
    with pytest.raises(PermissionDenied):
        services.report_retry(acting_user=cast.sc_staff, run=run)


def test_task_builds_the_report_and_marks_it_done(figures, media):
    run = ReportRunFactory(partner=figures.cast.zj)
    assert build_report.apply(args=[str(run.pk)]).get() == "done"
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE and run.progress == 100
    assert run.attempts == 1 and run.started_at and run.finished_at
    assert run.file.name.startswith("reports/") and run.file.read(5) == b"%PDF-"
    assert run.xlsx_file.read(2) == b"PK"
    assert (media / run.file.name).is_file()


def test_duplicate_delivery_does_nothing(cast):
    run = ReportRunFactory(partner=cast.zj, status=ReportRun.Status.RUNNING, progress=40)
    with mock.patch("reports.services.report_build") as build:
        assert build_report.apply(args=[str(run.pk)]).get() == "skipped"
    build.assert_not_called()
    run.refresh_from_db()
    assert run.status == ReportRun.Status.RUNNING and run.progress == 40


def test_transient_failure_is_retried_then_succeeds(cast):
    run = ReportRunFactory(partner=cast.zj)
    calls = []

    def flaky(*, run_id):
        calls.append(ReportRun.objects.get(pk=run_id).status)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        ReportRun.objects.filter(pk=run_id).update(status=ReportRun.Status.DONE, progress=100)
        return ReportRun.objects.get(pk=run_id)

    with mock.patch("reports.services.report_build", side_effect=flaky):
        build_report.apply(args=[str(run.pk)])
    run.refresh_from_db()
    assert calls == ["running", "running"]  # claimed again after being handed back
    assert run.status == ReportRun.Status.DONE and run.attempts == 2


def test_transient_failures_give_up_after_three_retries(cast):
    run = ReportRunFactory(partner=cast.zj)
    with mock.patch(
        "reports.services.report_build", side_effect=OperationalError("could not connect")
    ) as build:
        build_report.apply(args=[str(run.pk)])
    run.refresh_from_db()
    assert build.call_count == 4  # the first try and three retries
    assert run.status == ReportRun.Status.FAILED
    assert "could not connect" in run.error


def test_permanent_error_marks_the_run_failed_with_a_message(cast):
    run = ReportRunFactory(partner=cast.zj)
    with mock.patch("reports.services.report_build", side_effect=ValueError("bad data")) as b:
        assert build_report.apply(args=[str(run.pk)]).get() == "failed"
    assert b.call_count == 1  # not retried
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED
    assert run.error == "The report could not be built: ValueError: bad data"
    assert run.finished_at is not None


def test_task_is_configured_for_safe_delivery():
    assert build_report.acks_late is True
    assert build_report.max_retries == 3
    assert build_report.soft_time_limit == 240 and build_report.time_limit == 300
    assert set(build_report.autoretry_for) == {OperationalError, ConnectionError}
    assert build_report.serializer == "json"


def test_request_without_its_subject_is_invalid(cast, no_broker):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.report_request(acting_user=cast.zj_staff, kind="enterprise", language="en")
    with pytest.raises(ValidationError):
        services.report_request(acting_user=cast.zj_staff, kind="partner", language="en")
    with pytest.raises(ValidationError):  # the database's period check, through full_clean
        services.report_request(
            acting_user=cast.zj_staff,
            kind="partner",
            partner=cast.zj,
            language="en",
            period_from=dt.date(2026, 3, 1),
            period_to=dt.date(2026, 2, 1),
        )


def test_task_writes_progress_on_the_row(figures, media):
    run = ReportRunFactory(partner=figures.cast.zj)
    seen = []
    original = services.report_progress

    def spy(*, run_id, percent):
        original(run_id=run_id, percent=percent)
        seen.append(ReportRun.objects.get(pk=run_id).progress)

    with mock.patch("reports.services.report_progress", side_effect=spy):
        build_report.apply(args=[str(run.pk)])
    assert seen == sorted(seen) and len(seen) >= 5 and seen[0] > 0 and seen[-1] < 100
    run.refresh_from_db()
    assert run.progress == 100
