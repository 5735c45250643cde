"""Issue 19: exports of large lists run in the background with progress, like reports. The
rows are those the requester may see when the worker runs, with their filters; only they
see the job and its file."""

import io

import openpyxl
import pytest
from django.urls import reverse

from enterprises.models import ExportJob
from enterprises.transfer.exporting import export_files_delete_old, export_job_run
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(cast, settings, tmp_path):
    settings.EXPORT_INLINE_ENTERPRISES = 2
    settings.MEDIA_ROOT = tmp_path
    names = ["Alpha Textiles", "Beta Castings", "Gamma Garments"]
    for name in names:
        EnterpriseFactory(partner=cast.zj, name=name, name_zh="", province="ZJ")
    EnterpriseFactory(partner=cast.sc, name="Sichuan Other", name_zh="")
    return names


def _sheet_names(data: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], sorted(row[1] for row in rows[1:])  # the name follows the partner


def test_a_long_list_is_exported_in_the_background_with_its_filters(client, cast, many):
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:transfer:export")
    response = client.get(url, {"q": "a", "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:transfer:export-job", args=[job.pk])
    assert (job.status, job.requested_by, job.language, job.query) == (
        "pending",
        cast.zj_staff,
        "zh-hans",
        {"q": ["a"]},
    )
    waiting = client.get(response["Location"])
    assert b"job-progress" in waiting.content and b"download" not in waiting.content.lower()
    progress = reverse("enterprises:transfer:export-job-progress", args=[job.pk])
    assert client.get(progress).status_code == 200

    assert export_job_run(job.pk) is True
    assert export_job_run(job.pk) is False  # a duplicate delivery does nothing
    job.refresh_from_db()
    assert (job.status, job.progress, job.total_rows) == ("done", 100, 3)
    done = client.get(progress, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    download = client.get(reverse("enterprises:transfer:export-job-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    header, names = _sheet_names(b"".join(download.streaming_content))
    assert header[0] == "合作单位"  # the requester's language
    assert names == sorted(many)  # the other partner's enterprise is not in it


def test_only_the_requester_sees_an_export(client, cast, many):
    client.force_login(cast.zj_staff)
    client.get(reverse("enterprises:transfer:export"), {"format": "csv"})
    job = ExportJob.objects.get()
    export_job_run(job.pk)
    for user in (cast.zj_manager, cast.sc_staff, cast.programme):
        client.force_login(user)
        for name in ("export-job", "export-job-progress", "export-job-download"):
            assert (
                client.get(reverse(f"enterprises:transfer:{name}", args=[job.pk])).status_code
                == 404
            )
    client.logout()
    page = client.get(reverse("enterprises:transfer:export-job", args=[job.pk]))
    assert page.status_code == 302 and "login" in page["Location"]


def test_scope_is_read_when_the_worker_runs_and_old_files_go(client, cast, many):
    client.force_login(cast.zj_staff)
    client.get(reverse("enterprises:transfer:export"), {"format": "csv"})
    job = ExportJob.objects.get()
    cast.zj_staff.memberships.all().delete()  # access revoked before the worker ran
    export_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.total_rows == 0
    assert job.file.read().decode("utf-8-sig").count("\n") == 1  # the header row only

    ExportJob.objects.filter(pk=job.pk).update(created_at="2020-01-01T00:00:00Z")
    assert export_files_delete_old() == 1
    job.refresh_from_db()
    assert not job.file


def test_a_short_list_is_still_written_in_the_request(client, cast, many, settings):
    settings.EXPORT_INLINE_ENTERPRISES = 10
    client.force_login(cast.zj_staff)
    response = client.get(reverse("enterprises:transfer:export"), {"format": "csv"})
    assert response.status_code == 200 and b"Gamma Garments" in response.content
    assert not ExportJob.objects.exists()
