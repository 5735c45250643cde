"""Drill: Redis (the broker) is unreachable.

Pages keep working, /healthz answers 503 naming the broker, and a report requested through
the page is kept as a queued ``ReportRun`` row with a message saying so (no 500). When the
broker is back, ``reports_requeue_waiting`` (what beat runs every 5 minutes) publishes the
lost message and a real worker builds the report: nothing is lost.
"""

import time
from datetime import timedelta

import pytest
from django.urls import reverse

from reports.models import ReportRun
from reports.services import reports_requeue_waiting
from tests.reports.factories import EnterpriseFactory

from .conftest import (
    celery_app_at,
    forget_connections,
    free_port,
    private_redis,
    start_worker,
    stop,
    wait_for,
)

pytestmark = [pytest.mark.services, pytest.mark.drills]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_and_report_requests_survive_a_broker_outage(
    cast, client, settings, monkeypatch, tmp_path
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    EnterpriseFactory(partner=cast.zj, name="Drill Enterprise")
    port = free_port()  # nothing listens here yet: the broker is "down"
    broker_url = f"redis://127.0.0.1:{port}/0"
    with celery_app_at(broker_url, settings, monkeypatch):
        client.force_login(cast.zj_manager)
        for name in ("home", "enterprises:list", "reports:run-list"):
            assert client.get(reverse(name)).status_code == 200, name

        started = time.monotonic()
        health = client.get(reverse("healthz"))
        assert health.status_code == 503
        assert health.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}

        response = client.post(
            reverse("reports:run-create"),
            {"kind": "partner", "partner": cast.zj.pk, "language": "en"},
            follow=True,
        )
        assert response.status_code == 200
        assert response.redirect_chain[-1][1] == 302
        assert "Your report is queued. The report service is not answering" in (
            response.content.decode()
        )
        assert time.monotonic() - started < 20, "the outage made requests slow"
        run = ReportRun.objects.get()
        assert run.status == "pending" and run.started_at is None

        # The broker comes back on the same address.
        log = tmp_path / "worker.log"
        with private_redis(port):
            forget_connections()
            assert client.get(reverse("healthz")).status_code == 200
            assert reports_requeue_waiting(older_than=timedelta(0)) == 1
            worker = start_worker(
                broker_url=broker_url, media_root=media, var_dir=tmp_path / "var", log=log
            )
            try:
                wait_for(
                    lambda: ReportRun.objects.filter(
                        pk=run.pk, status__in=["done", "failed"]
                    ).exists(),
                    timeout=90,
                    what="the re-queued report",
                    log=log,
                    interval=0.2,
                )
            finally:
                stop(worker)
    run.refresh_from_db()
    assert (run.status, run.progress, run.error) == ("done", 100, "")
    assert (media / run.file.name).is_file()
