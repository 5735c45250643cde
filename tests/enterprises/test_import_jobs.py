import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.models import Enterprise, ImportJob
from enterprises.tasks import run_import_job
from enterprises.transfer import jobs as import_jobs
from enterprises.transfer.importing import run_import
from enterprises.transfer.parsing import parse

from .import_files import csv_bytes, good_rows, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]  # also in the SQLite pass


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _create(cast, data, name="enterprises.xlsx", user=None, *, run=True):
    """Upload, then (``run``) what the worker does."""
    job = import_jobs.import_job_create(
        acting_user=user or cast.zj_staff, partner=cast.zj, name=name, data=data
    )
    if run:
        import_jobs.import_job_run(job.pk)
        job.refresh_from_db()
    return job


def _confirm(cast, job):
    job = import_jobs.import_job_confirm(acting_user=cast.zj_staff, job=job)
    assert job.status == ImportJob.Status.PENDING
    import_jobs.import_job_run(job.pk)
    job.refresh_from_db()
    return job


def _big_file(rows=501):
    return csv_bytes([["name", "city"]] + [[f"Enterprise {i:04d}", "Huzhou"] for i in range(rows)])


def test_a_file_is_previewed_by_the_worker_and_then_confirmed(cast, settings):
    job = _create(cast, xlsx_bytes(good_rows()))
    assert job.status == ImportJob.Status.PREVIEWED and job.dry_run and job.progress == 100
    assert job.counts == {"new": 3, "update": 0, "unchanged": 0, "error": 0}
    assert Enterprise.objects.count() == 0
    assert job.file.name.startswith(f"imports/{cast.zj.pk}/")
    assert (settings.MEDIA_ROOT / job.file.name).exists()

    job = _confirm(cast, job)
    assert job.status == ImportJob.Status.APPLIED and not job.dry_run
    assert job.confirmed_by == cast.zj_staff
    assert Enterprise.objects.count() == 3


def test_a_preview_with_errors_cannot_be_confirmed(cast):
    job = _create(cast, csv_bytes([["name", "module"], ["Silk", "M9"]]), name="bad.csv")
    assert job.status == ImportJob.Status.PREVIEWED and job.has_errors
    with pytest.raises(ValidationError):
        import_jobs.import_job_confirm(acting_user=cast.zj_staff, job=job)
    assert Enterprise.objects.count() == 0


def test_a_job_is_confirmed_only_once(cast):
    job = _create(cast, xlsx_bytes(good_rows()))
    stale = ImportJob.objects.get(pk=job.pk)
    _confirm(cast, job)
    with pytest.raises(ValidationError):
        import_jobs.import_job_confirm(acting_user=cast.zj_staff, job=stale)


def test_an_apply_that_now_fails_writes_nothing_and_fails_the_job(cast):
    job = _create(
        cast, csv_bytes([["name", "module"], ["Silk", "M1"], ["Silk", "M2"]]), name="m.csv"
    )
    assert not job.has_errors
    from catalogue.models import Module

    Module.objects.filter(code="M2").update(is_active=False)  # changed since the preview
    job = _confirm(cast, job)
    assert job.status == ImportJob.Status.FAILED and "Nothing was imported" in job.error
    assert job.counts["error"] == 1
    assert Enterprise.objects.count() == 0


def test_partner_managers_cannot_import(cast):
    with pytest.raises(PermissionDenied):
        _create(cast, xlsx_bytes(good_rows()), user=cast.zj_manager, run=False)


def test_a_file_runs_in_the_background(cast, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(run_import_job, "delay", lambda job_id: queued.append(job_id))
    with django_capture_on_commit_callbacks(execute=True):
        job = _create(cast, _big_file(), name="big.csv", run=False)
    assert job.status == ImportJob.Status.PENDING and job.total_rows == 0
    assert queued == [str(job.pk)]

    run_import_job(str(job.pk))  # what the worker does, without a worker
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and job.progress == 100
    assert job.counts["new"] == 501 and len(job.result["rows"]) == 501
    assert job.total_rows == 501
    assert job.started_at and job.finished_at
    assert Enterprise.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        job = import_jobs.import_job_confirm(acting_user=cast.zj_staff, job=job)
    assert job.status == ImportJob.Status.PENDING and queued == [str(job.pk)] * 2
    run_import_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert Enterprise.objects.count() == 501


def test_a_duplicate_delivery_does_nothing(cast, monkeypatch):
    monkeypatch.setattr(run_import_job, "delay", lambda job_id: None)
    job = _create(cast, _big_file(), name="big.csv", run=False)
    assert import_jobs.import_job_run(job.pk) is True
    finished = ImportJob.objects.get(pk=job.pk).finished_at
    assert import_jobs.import_job_run(job.pk) is False
    assert ImportJob.objects.get(pk=job.pk).finished_at == finished


def test_progress_is_reported_while_rows_are_written(cast):
    calls = []
    run_import(
        acting_user=cast.zj_staff,
        partner=cast.zj,
        parsed=parse(_big_file(120)),
        dry_run=True,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(50, 120), (100, 120), (120, 120)]


def test_an_unreadable_stored_file_fails_the_job(cast, monkeypatch):
    monkeypatch.setattr(run_import_job, "delay", lambda job_id: None)
    job = _create(cast, _big_file(), name="big.csv", run=False)
    job.file.storage.delete(job.file.name)
    with pytest.raises(FileNotFoundError):
        run_import_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "unexpected error" in job.error


def test_the_result_is_plain_json(cast):
    job = _create(cast, io.BytesIO(xlsx_bytes(good_rows())).getvalue())
    row = job.result["rows"][0]
    assert set(row) == {
        "row",
        "outcome",
        "name",
        "errors",
        "changes",
        "enrolment",
        "warnings",
        "override",
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_visible_to_other_connections_during_the_run(cast, monkeypatch):
    from django.db import DEFAULT_DB_ALIAS, connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("SQLite has one writer at a time: progress is written at the end only")
    monkeypatch.setattr(run_import_job, "delay", lambda job_id: None)
    job = _create(cast, _big_file(), name="big.csv", run=False)
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []
    original = import_jobs._ProgressWriter.__call__

    def call_and_look(self, done, total):
        original(self, done, total)
        with observer.cursor() as cursor:
            cursor.execute("SELECT progress FROM enterprises_importjob WHERE id = %s", [job.pk])
            seen.append(cursor.fetchone()[0])

    monkeypatch.setattr(import_jobs._ProgressWriter, "__call__", call_and_look)
    try:
        import_jobs.import_job_run(job.pk)
    finally:
        observer.close()
    assert seen[0] == 9 and seen == sorted(seen) and seen[-1] == 99
    assert ImportJob.objects.get(pk=job.pk).progress == 100
