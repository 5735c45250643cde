"""Report pages: the request form, the list with live progress, downloads, try again."""

import re
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import ReportRun

from .factories import EnterpriseFactory, ReportRunFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delay():
    with mock.patch("reports.tasks.build_report.delay") as delay:
        yield delay


def _done_run(partner, **kwargs):
    run = ReportRunFactory(partner=partner, status="done", progress=100, **kwargs)
    run.file.save("r.pdf", ContentFile(b"%PDF-1.7 report"), save=False)
    run.xlsx_file.save("r.xlsx", ContentFile(b"PK sheet"), save=True)
    return run


def test_form_offers_only_the_users_partners_and_enterprises(client, cast):
    EnterpriseFactory(partner=cast.zj, name="Hangzhou Textiles")
    EnterpriseFactory(partner=cast.sc, name="Chengdu Foods")
    client.force_login(cast.zj_staff)
    page = client.get(reverse("reports:run-create")).content.decode()
    assert "Zhejiang Enterprise Federation" in page and "Hangzhou Textiles" in page
    assert "Sichuan" not in page and "Chengdu Foods" not in page
    assert 'value="programme"' not in page
    client.force_login(cast.programme)
    assert 'value="programme"' in client.get(reverse("reports:run-create")).content.decode()


def test_requesting_an_enterprise_of_another_partner_is_refused(client, cast, delay):
    other = EnterpriseFactory(partner=cast.sc)
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("reports:run-create"),
        {"kind": "enterprise", "enterprise": other.pk, "language": "en"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_requesting_a_report_queues_it_and_shows_progress(
    client, cast, delay, django_capture_on_commit_callbacks
):
    client.force_login(cast.zj_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:run-create"),
            {
                "kind": "partner",
                "partner": cast.zj.pk,
                "language": "zh-hans",
                "period_from": "2026-01-01",
                "period_to": "2026-03-31",
            },
            follow=True,
        )
    run = ReportRun.objects.get()
    delay.assert_called_once_with(str(run.pk))
    assert (run.partner, run.language, str(run.period_to)) == (cast.zj, "zh-hans", "2026-03-31")
    page = response.content.decode()
    assert "Your report is being prepared." in page
    assert f'hx-get="{reverse("reports:run-table")}"' in page and 'hx-trigger="every 2s"' in page
    assert 'hx-swap="outerHTML"' in page
    assert '<meta http-equiv="refresh" content="5">' in page  # without JavaScript
    assert re.search(r'<progress[^>]*value="0"', page)


def test_polling_stops_when_nothing_is_running(client, cast):
    _done_run(cast.zj)
    client.force_login(cast.zj_manager)
    page = client.get(reverse("reports:run-list")).content.decode()
    assert "hx-get" not in page and 'http-equiv="refresh"' not in page
    partial = client.get(reverse("reports:run-table")).content.decode()
    assert partial.lstrip().startswith('<div id="report-runs"') and "<html" not in partial


def test_pages_have_no_inline_script_or_style(client, cast):
    ReportRunFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    for name in ("reports:run-list", "reports:run-create", "reports:run-table"):
        page = client.get(reverse(name)).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), name
        assert " style=" not in page and "<style" not in page, name


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits
def test_broker_down_is_not_an_error_page(client, cast):
    from kombu.exceptions import OperationalError

    client.force_login(cast.zj_manager)
    with mock.patch(
        "reports.tasks.build_report.delay", side_effect=OperationalError("Error 111 connecting")
    ):
        response = client.post(
            reverse("reports:run-create"),
            {"kind": "partner", "partner": cast.zj.pk, "language": "en"},
            follow=True,
        )
    assert response.status_code == 200
    assert "will start when it is back" in response.content.decode()
    assert ReportRun.objects.get().status == "pending"


def test_run_list_shows_the_partners_runs_only(client, cast):
    zj_run = ReportRunFactory(partner=cast.zj, language="en")
    sc_run = ReportRunFactory(partner=cast.sc, language="en")
    programme_run = ReportRunFactory(kind="programme", partner=None, language="en")
    client.force_login(cast.zj_manager)
    page = client.get(reverse("reports:run-list")).content.decode()
    assert str(zj_run.pk) in page
    assert str(sc_run.pk) not in page and str(programme_run.pk) not in page
    client.force_login(cast.programme)
    page = client.get(reverse("reports:run-list")).content.decode()
    assert all(str(run.pk) in page for run in (zj_run, sc_run, programme_run))


def test_download_is_an_attachment_for_the_partner(client, cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    run = _done_run(cast.zj)
    client.force_login(cast.zj_manager)
    response = client.get(reverse("reports:run-download", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    xlsx = client.get(reverse("reports:run-download-xlsx", args=[run.pk]))
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


def test_download_of_other_partners_or_programme_report_is_not_found(
    client, cast, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    sc_run = _done_run(cast.sc)
    programme_run = _done_run(None, kind="programme")
    client.force_login(cast.zj_staff)
    for run in (sc_run, programme_run):
        assert client.get(reverse("reports:run-download", args=[run.pk])).status_code == 404
    client.force_login(cast.programme)
    for run in (sc_run, programme_run):
        assert client.get(reverse("reports:run-download", args=[run.pk])).status_code == 200


def test_trainer_may_not_download_own_partners_report(client, cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    run = _done_run(cast.zj)
    client.force_login(cast.zj_trainer)
    assert client.get(reverse("reports:run-download", args=[run.pk])).status_code == 403


def test_unfinished_run_has_no_download(client, cast):
    run = ReportRunFactory(partner=cast.zj, status="running")
    client.force_login(cast.zj_manager)
    assert client.get(reverse("reports:run-download", args=[run.pk])).status_code == 404


def test_try_again_requeues_a_failed_run(client, cast, delay, django_capture_on_commit_callbacks):
    run = ReportRunFactory(partner=cast.zj, status="failed", error="boom")
    client.force_login(cast.zj_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:run-retry", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "pending"
    delay.assert_called_once_with(str(run.pk))


def test_regenerate_a_done_run_makes_a_new_one(client, cast, delay, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    run = _done_run(cast.zj)
    client.force_login(cast.zj_staff)
    client.post(reverse("reports:run-retry", args=[run.pk]))
    assert ReportRun.objects.count() == 2
    assert ReportRun.objects.exclude(pk=run.pk).get().status == "pending"


def test_nav_shows_reports_to_reporting_roles_only(client, cast):
    client.force_login(cast.zj_manager)
    assert reverse("reports:run-list") in client.get(reverse("home")).content.decode()
    client.force_login(cast.zj_trainer)
    assert reverse("reports:run-list") not in client.get(reverse("home")).content.decode()


def test_run_list_query_count_is_fixed(client, cast, django_assert_max_num_queries):
    for _ in range(10):
        ReportRunFactory(partner=cast.zj, status="done")
    client.force_login(cast.zj_manager)
    with django_assert_max_num_queries(8):
        client.get(reverse("reports:run-list"))
