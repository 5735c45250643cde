import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from enterprises.models import Enrolment, Enterprise, ImportJob
from enterprises.tasks import run_import_job

from .import_files import csv_bytes, good_rows, xlsx_bytes

pytestmark = pytest.mark.django_db
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _language_does_not_leak():
    yield
    translation.deactivate()  # LocaleMiddleware leaves the last request's language active


@pytest.fixture(autouse=True)
def _worker(monkeypatch):
    """Queued jobs run at once, as a worker would, when their transaction commits."""
    monkeypatch.setattr(run_import_job, "delay", lambda job_id: run_import_job(job_id))


def _upload(client, partner, data, name="enterprises.xlsx"):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("enterprises:transfer:import"),
            {"partner": partner.pk, "file": SimpleUploadedFile(name, data)},
        )


def _post(client, url):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url)


def test_staff_upload_preview_and_confirm(client, cast):
    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:transfer:import"))
    assert page.status_code == 200
    assert b'accept=".xlsx,.csv"' in page.content

    response = _upload(client, cast.zj, xlsx_bytes(good_rows()))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "enterprises:transfer:job", kwargs={"pk": job.pk}
    )
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert b"Confirm import" in preview.content and b"Huzhou Silk" in preview.content
    assert Enterprise.objects.count() == 0

    response = _post(client, reverse("enterprises:transfer:job-confirm", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    assert Enterprise.objects.count() == 3 and Enrolment.objects.count() == 2
    done = client.get(response["Location"])
    assert b"Import finished" in done.content and b"Confirm import" not in done.content


def test_a_preview_with_errors_has_no_confirm_button_and_refuses_a_confirm(client, cast):
    client.force_login(cast.zj_staff)
    _upload(client, cast.zj, csv_bytes([["name", "module"], ["Silk", "M2"]]), "e.csv")
    job = ImportJob.objects.get()
    preview = client.get(reverse("enterprises:transfer:job", kwargs={"pk": job.pk}))
    assert b"Confirm import" not in preview.content
    assert b"M1 comes first" in preview.content
    client.post(reverse("enterprises:transfer:job-confirm", kwargs={"pk": job.pk}))
    assert Enterprise.objects.count() == 0


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.xlsx", b"not an Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", b"not a spreadsheet"),
        (b"name\nSilk\n", "list.txt", b"Upload an .xlsx or a .csv file"),
        (b"", "empty.csv", b"empty"),
    ],
)
def test_bad_uploads_are_refused_on_the_form(client, cast, data, name, message):
    client.force_login(cast.zj_staff)
    response = _upload(client, cast.zj, data, name)
    assert response.status_code == 200 and message in response.content
    assert not ImportJob.objects.exists()


def test_staff_cannot_import_for_another_partner(client, cast):
    client.force_login(cast.zj_staff)
    response = _upload(client, cast.sc, xlsx_bytes(good_rows()))
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_partner_manager_gets_403_on_import(client, cast):
    client.force_login(cast.zj_manager)
    assert client.get(reverse("enterprises:transfer:import")).status_code == 403
    assert _upload(client, cast.zj, xlsx_bytes(good_rows())).status_code == 403


def test_an_upload_shows_progress_until_the_worker_is_done(client, cast, monkeypatch):
    monkeypatch.setattr(run_import_job, "delay", lambda job_id: None)
    client.force_login(cast.zj_staff)
    rows = [["name"]] + [[f"Enterprise {i}"] for i in range(501)]
    _upload(client, cast.zj, csv_bytes(rows), "big.csv")
    job = ImportJob.objects.get()
    page = client.get(reverse("enterprises:transfer:job", kwargs={"pk": job.pk}))
    progress_url = reverse("enterprises:transfer:job-progress", kwargs={"pk": job.pk})
    assert f'hx-get="{progress_url}"'.encode() in page.content
    assert b'hx-trigger="every 2s"' in page.content and b"refresh" in page.content
    partial = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert b"<progress" in partial.content and "HX-Refresh" not in partial

    run_import_job(str(job.pk))
    partial = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true"
    url = reverse("enterprises:transfer:job", kwargs={"pk": job.pk})
    assert b"Confirm import" in client.get(url).content


def test_the_template_has_both_header_rows_and_instructions(client, cast):
    client.force_login(cast.zj_staff)
    response = client.get(reverse("enterprises:transfer:template"))
    assert response["Content-Type"] == XLSX_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, notes = workbook.worksheets
    assert [c.value for c in sheet[1]][:3] == ["name", "name_zh", "credit_code"]
    assert [c.value for c in sheet[2]][:3] == ["企业名称", "中文名称", "统一社会信用代码"]
    text = {str(c.value) for row in notes.iter_rows() for c in row if c.value}
    assert {"Zhejiang", "浙江省", "C13", "M1", "Example row"} <= text


def test_the_template_filled_in_imports(client, cast):
    client.force_login(cast.zj_staff)
    template = client.get(reverse("enterprises:transfer:template")).content
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    notes = workbook.worksheets[1]
    example = [c.value for c in list(notes.iter_rows())[-1]]
    workbook.worksheets[0].append(example)
    out = io.BytesIO()
    workbook.save(out)
    _upload(client, cast.zj, out.getvalue())
    job = ImportJob.objects.get()
    assert job.counts == {"new": 1, "update": 0, "unchanged": 0, "error": 0}, job.result


def test_export_downloads_the_users_enterprises(client, cast):
    from tests.factories import EnterpriseFactory

    EnterpriseFactory(partner=cast.zj, name="Mine")
    EnterpriseFactory(partner=cast.sc, name="Theirs")
    client.force_login(cast.zj_manager)
    response = client.get(reverse("enterprises:transfer:export") + "?format=csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "Mine" in text and "Theirs" not in text
    response = client.get(reverse("enterprises:transfer:export"))
    assert response["Content-Type"] == XLSX_TYPE


def test_the_preview_speaks_chinese(client, cast, settings):
    client.force_login(cast.zj_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    _upload(client, cast.zj, csv_bytes([["企业名称", "模块"], ["湖州丝绸", "M9"]]), "e.csv")
    job = ImportJob.objects.get()
    page = client.get(reverse("enterprises:transfer:job", kwargs={"pk": job.pk})).content.decode()
    assert "导入预览" in page and "未知模块“M9”。" in page and "模块" in page
