"""'Import the valid rows': the rejected rows come back as an XLSX with an error column;
corrected and uploaded again, they complete the import with no duplicates."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enterprises.models import Enterprise, ImportJob
from enterprises.transfer import jobs as import_jobs
from tests.factories import valid_uscc

from .import_files import xlsx_bytes
from .test_import_real_lists import GARMENT, MOULD, SHOP, SILK, _bad_check, provincial_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(cast, data, name="名单.xlsx"):
    job = import_jobs.import_job_create(
        acting_user=cast.zj_staff, partner=cast.zj, name=name, data=data
    )
    import_jobs.import_job_run(job.pk)
    job.refresh_from_db()
    return job


def _confirm(cast, job, partial=False):
    job = import_jobs.import_job_confirm(acting_user=cast.zj_staff, job=job, partial=partial)
    import_jobs.import_job_run(job.pk)
    job.refresh_from_db()
    return job


def test_the_valid_rows_then_the_corrected_rejected_rows(cast, client):
    job = _upload(cast, xlsx_bytes(provincial_rows()))
    assert job.status == ImportJob.Status.PREVIEWED and not job.can_confirm
    assert job.can_confirm_valid_rows
    with pytest.raises(ValidationError):
        import_jobs.import_job_confirm(acting_user=cast.zj_staff, job=job)  # all or nothing
    job = _confirm(cast, job, partial=True)
    assert job.status == ImportJob.Status.APPLIED, job.error
    assert job.counts == {"new": 3, "update": 0, "unchanged": 0, "error": 4}
    assert set(Enterprise.objects.values_list("credit_code", flat=True)) == {SILK, GARMENT, SHOP}

    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:transfer:job", args=[job.pk]))
    assert reverse("enterprises:transfer:job-rejected", args=[job.pk]) in page.content.decode()
    response = client.get(reverse("enterprises:transfer:job-rejected", args=[job.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Error" and rows[0][2] == "单位详细名称（必填）"
    assert [r[2] for r in rows[1:]] == [
        "宁波模具有限公司",
        "温州鞋业有限公司",
        "未来科技有限公司",
        "台州机械有限公司",
    ]
    assert "Digits lost" in rows[1][0] and "masked" in rows[2][0]

    # The partner corrects the four rows and uploads the same file again.
    fixed = {
        "宁波模具有限公司": {3: valid_uscc("91330200MA2CD5678")},
        "温州鞋业有限公司": {3: valid_uscc("91330300MA2EF9012")},
        "未来科技有限公司": {7: 5, 8: 2015},
        "台州机械有限公司": {9: "私营"},
    }
    for row in rows[1:]:
        for index, value in fixed[row[2]].items():
            row[index] = value
    corrected = xlsx_bytes(rows)
    again = _upload(cast, corrected, "rejected-rows.xlsx")
    errors = [r["errors"] for r in again.result["rows"] if r["errors"]]
    assert again.counts == {"new": 4, "update": 0, "unchanged": 0, "error": 0}, errors
    again = _confirm(cast, again)
    assert again.status == ImportJob.Status.APPLIED
    assert Enterprise.objects.count() == 7
    assert Enterprise.objects.get(credit_code=MOULD).year_founded == 2015

    # Uploading the corrected file once more changes nothing (keyed upsert).
    third = _upload(cast, corrected, "rejected-rows.xlsx")
    assert third.counts == {"new": 0, "update": 0, "unchanged": 4, "error": 0}


def test_the_rejected_rows_file_is_not_found_without_a_partial_import(cast, client):
    job = _upload(cast, xlsx_bytes(provincial_rows()))
    client.force_login(cast.zj_staff)
    response = client.get(reverse("enterprises:transfer:job-rejected", args=[job.pk]))
    assert response.status_code == 404


def test_a_programme_manager_overrides_wrong_check_characters(cast, client):
    code = _bad_check(SILK)
    data = xlsx_bytes([["企业名称", "统一社会信用代码"], ["老企业", code]])
    job = _upload(cast, data)
    assert job.counts["error"] == 1
    client.force_login(cast.programme)
    url = reverse("enterprises:transfer:job-override", args=[job.pk])
    assert client.post(url, {"reason": ""}).status_code == 302
    job.refresh_from_db()
    assert not job.override_by  # a reason is required
    client.post(url, {"reason": "Issued in 2014, before GB 32100-2015"})
    job.refresh_from_db()
    assert job.override_by == cast.programme and job.status == ImportJob.Status.PENDING
    import_jobs.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.counts["new"] == 1 and job.can_confirm
    client.force_login(cast.zj_staff)
    assert client.post(url, {"reason": "x"}).status_code == 403  # staff cannot override
    job = _confirm(cast, job)
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.history.first().history_change_reason.startswith("Issued in 2014")
