"""Import files are read by the worker, within limits: a decompression bomb answers at once,
then fails its job with a clear message, with memory bounded; a broker that is down or a
worker that is killed never leaves a job waiting or running for ever; old files go."""

import datetime
import io
import tracemalloc
import zipfile

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from enterprises.models import ImportJob
from enterprises.tasks import run_import_job
from enterprises.transfer import jobs as import_jobs
from enterprises.transfer.parsing import parse
from score_portal import jobs
from tests.enterprises.import_files import csv_bytes, good_rows, xlsx_bytes

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    b'package.relationships+xml"/><Default Extension="xml" ContentType="application/'
    b'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
    b'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" '
    b'sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
    b'schemas.openxmlformats.org/package/2006/relationships"><Relationship '
    b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
    b'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"
SST_START = (
    b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
    b'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
)


def _streamed(archive, name, start, repeat: bytes, times: int, end):
    """Write a part of ``times`` repetitions without holding it in memory."""
    with archive.open(name, "w", force_zip64=True) as part:
        part.write(start)
        block = repeat * max(1, min(times, 100_000))
        written = 0
        while written < times:
            count = min(times - written, 100_000)
            part.write(block if count == 100_000 else repeat * count)
            written += count
        part.write(end)


def _bomb(
    *, sheet=(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>', 1), shared=(b"A", 1)
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        _streamed(
            archive,
            "xl/sharedStrings.xml",
            SST_START + b"<si><t>",
            shared[0],
            shared[1],
            b"</t></si></sst>",
        )
        _streamed(archive, "xl/worksheets/sheet1.xml", SHEET_START, sheet[0], sheet[1], SHEET_END)
    return out.getvalue()


HUGE_STRING = _bomb(shared=(b"A" * 1000, 150_000))  # one shared string of 150 MB
MANY_CELLS = _bomb(
    sheet=(b"<c><v>1</v></c>", 3_000_000),  # one row of 3 million cells
    shared=(b"A", 1),
)
MANY_ROWS = _bomb(sheet=(b"<row><c><v>1</v></c></row>", 1_000_000))


def _peak_while(func):
    tracemalloc.start()
    try:
        result = func()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _upload(client, partner, data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("enterprises:transfer:import"),
            {"partner": partner.pk, "file": SimpleUploadedFile(name, data)},
        )


def test_the_bombs_are_small_on_disk():
    assert max(len(HUGE_STRING), len(MANY_CELLS), len(MANY_ROWS)) < 500 * 1024


@pytest.mark.parametrize(
    "bomb, message",
    [
        (HUGE_STRING, "too large once unpacked"),
        (MANY_CELLS, "more than 100 columns"),
        (MANY_ROWS, "more than 20,000 rows"),
    ],
)
def test_it_answers_a_bomb_at_once_and_fails_its_job_in_the_worker(
    client, cast, monkeypatch, bomb, message
):
    queued = []
    monkeypatch.setattr(run_import_job, "delay", queued.append)
    monkeypatch.setattr("enterprises.transfer.jobs.parse", _refuse_in_request)
    client.force_login(cast.zj_staff)
    response = _upload(client, cast.zj, bomb, "bomb.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.PENDING
    assert queued == [str(job.pk)]

    monkeypatch.undo()
    _result, peak = _peak_while(lambda: run_import_job(str(job.pk)))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and message in job.error
    assert peak < 60 * 1024 * 1024, f"the worker used {peak / 1e6:.0f} MB"
    page = client.get(reverse("enterprises:transfer:job", kwargs={"pk": job.pk}))
    assert message in page.content.decode()


def _refuse_in_request(*args, **kwargs):
    raise AssertionError("the request parsed the upload")


def test_it_refuses_before_inflating_from_the_central_directory(monkeypatch):
    inflated = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        inflated.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    parsed = parse(HUGE_STRING, "bomb.xlsx")
    assert "too large once unpacked" in parsed.errors[0]
    assert inflated == []


def test_it_says_why_in_chinese(cast):
    with translation.override("zh-hans"):
        parsed = parse(MANY_CELLS, "bomb.xlsx")
    assert "100" in parsed.errors[0] and "列" in parsed.errors[0]


def test_it_limits_csv_columns_and_rows(settings):
    settings.IMPORT_MAX_ROWS = 5
    wide = parse(csv_bytes([["name"] + [f"c{i}" for i in range(150)], ["Silk"] * 151]), "w.csv")
    assert "more than 100 columns" in wide.errors[0]
    long = parse(csv_bytes([["name"]] + [[f"E{i}"] for i in range(50)]), "l.csv")
    assert "more than 5 rows" in long.errors[0]


def test_it_still_reads_an_ordinary_workbook():
    parsed = parse(xlsx_bytes(good_rows()), "ok.xlsx")
    assert not parsed.errors and len(parsed.rows) == 3


def test_it_queues_the_import_later_when_the_broker_was_down(client, cast, monkeypatch):
    def broker_down(job_id):
        raise OperationalError("Error 111 connecting to redis. Connection refused.")

    monkeypatch.setattr(run_import_job, "delay", broker_down)
    client.force_login(cast.zj_staff)
    response = _upload(client, cast.zj, xlsx_bytes(good_rows()), "e.xlsx")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PENDING

    queued = []
    monkeypatch.setattr(run_import_job, "delay", queued.append)
    assert jobs.recover()["enterprises.ImportJob"] == 0  # too recent: maybe still in flight
    ImportJob.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    jobs.recover()
    assert queued == [str(job.pk)]
    run_import_job(str(job.pk))
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEWED


def test_it_releases_and_retries_an_import_whose_worker_was_killed(cast, monkeypatch):
    queued = []
    monkeypatch.setattr(run_import_job, "delay", queued.append)
    job = import_jobs.import_job_create(
        acting_user=cast.zj_staff, partner=cast.zj, name="e.xlsx", data=xlsx_bytes(good_rows())
    )
    assert ImportJob.claim(job.pk)  # a worker took it, then was killed
    assert jobs.recover()["enterprises.ImportJob"] == 0  # still within its time limit
    ImportJob.objects.update(started_at=timezone.now() - datetime.timedelta(hours=1))
    assert jobs.recover()["enterprises.ImportJob"] == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PENDING and queued == [str(job.pk)]
    run_import_job(str(job.pk))
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEWED


def test_it_fails_an_import_whose_worker_was_killed_too_often(cast, monkeypatch):
    monkeypatch.setattr(run_import_job, "delay", lambda job_id: None)
    job = import_jobs.import_job_create(
        acting_user=cast.zj_staff, partner=cast.zj, name="e.xlsx", data=xlsx_bytes(good_rows())
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        attempts=ImportJob.MAX_ATTEMPTS,
        language="zh-hans",
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    jobs.recover()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at
    assert "导入" in job.error


def test_it_deletes_old_import_files_and_keeps_the_jobs(cast, monkeypatch, settings):
    monkeypatch.setattr(run_import_job, "delay", lambda job_id: None)
    old, new = (
        import_jobs.import_job_create(
            acting_user=cast.zj_staff, partner=cast.zj, name="e.xlsx", data=xlsx_bytes(good_rows())
        )
        for _ in range(2)
    )
    for job in (old, new):
        import_jobs.import_job_run(job.pk)
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    path = settings.MEDIA_ROOT / old.file.name
    assert path.exists()
    from enterprises.tasks import delete_old_import_files

    assert delete_old_import_files() == 1
    assert not path.exists() and (settings.MEDIA_ROOT / new.file.name).exists()
    old.refresh_from_db()
    assert old.file.name == "" and old.status == ImportJob.Status.PREVIEWED
    settings.IMPORT_FILE_RETENTION_DAYS = 0
    assert delete_old_import_files() == 1
    assert delete_old_import_files() == 0
