"""End to end on PostgreSQL + Redis with a real Celery worker process: request a partner
report through the page, let the worker build it, download it, read the PDF."""

import io
import time
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from pypdf import PdfReader

from reports.models import ReportRun
from tests.workers import running_worker


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_partner_report_is_built_by_a_real_worker(
    live_server, client, figures, celery_broker, settings, tmp_path
):
    if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): the worker shares the test database")
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    log = tmp_path / "worker.log"
    with running_worker(
        broker_url=celery_broker, media_root=media, var_dir=tmp_path / "var", log=log
    ) as worker:
        client.force_login(figures.cast.zj_manager)
        runs = {}
        for language in ("en", "zh-hans"):
            response = client.post(
                reverse("reports:run-create"),
                {"kind": "partner", "partner": figures.cast.zj.pk, "language": language},
            )
            assert response.status_code == 302
            runs[language] = ReportRun.objects.get(language=language)

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            statuses = set(ReportRun.objects.values_list("status", flat=True))
            if statuses <= {"done", "failed"}:
                break
            assert worker.poll() is None, log.read_text()
            time.sleep(0.5)
        for run in runs.values():
            run.refresh_from_db()
            assert run.status == "done", (run.status, run.error, log.read_text()[-3000:])

        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
        texts = {}
        for language, run in runs.items():
            url = live_server.url + reverse("reports:run-download", args=[run.pk])
            request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                assert response.headers["Content-Type"] == "application/pdf"
                assert "attachment" in response.headers["Content-Disposition"]
                data = response.read()
            texts[language] = "\n".join(
                page.extract_text() for page in PdfReader(io.BytesIO(data)).pages
            )
        assert "Zhejiang Enterprise Federation" in texts["en"]
        assert "62%" in texts["en"]  # cost recovery, 16000 of 26000, as the page rounds it
        assert "浙江省企业联合会" in texts["zh-hans"]
        assert "合作单位进展报告" in texts["zh-hans"] and "62%" in texts["zh-hans"]
