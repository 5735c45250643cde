"""The monthly schedule: last month's partner report per active partner, e-mailed once."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail

from reports import services
from reports.models import ReportRun
from reports.tasks import build_report, request_monthly_reports
from score_portal.models import Membership, Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_beat_runs_the_monthly_reports_on_the_first_of_the_month():
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-partner-reports"]
    assert entry["task"] == request_monthly_reports.name
    assert entry["schedule"].day_of_month == {1}


def test_monthly_reports_cover_last_month_for_each_active_partner(cast):
    cast.sc.is_active = False
    cast.sc.save()
    with mock.patch("reports.tasks.build_report.delay"):
        runs = services.monthly_reports_request(today=dt.date(2026, 3, 1))
    assert [(r.partner.code, r.period_from, r.period_to, r.email_managers) for r in runs] == [
        ("ZJ", dt.date(2026, 2, 1), dt.date(2026, 2, 28), True)
    ]
    assert runs[0].language == "zh-hans"
    with mock.patch("reports.tasks.build_report.delay"):
        again = services.monthly_reports_request(today=dt.date(2026, 3, 1))
    assert again[0].pk == runs[0].pk  # joins the pending run instead of duplicating it


def test_built_monthly_report_is_mailed_to_the_partner_managers_once(cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    cast.zj_manager.email = "chen@example.org"
    cast.zj_manager.save()
    second = UserFactory(username="zj-manager-2", email="second@example.org")
    Membership.objects.create(user=second, partner=cast.zj, role=Role.PARTNER_MANAGER)
    cast.zj_staff.email = "staff@example.org"  # staff are not mailed
    cast.zj_staff.save()
    with mock.patch("reports.tasks.build_report.delay"):
        runs = services.monthly_reports_request(today=dt.date(2026, 3, 1))
    assert [r.partner.code for r in runs] == ["SC", "ZJ"]
    run = runs[1]
    with mock.patch(
        "reports.tasks.email_report.delay",
        side_effect=lambda run_id: services.report_email_managers(run_id=run_id),
    ):
        assert build_report.apply(args=[str(run.pk)]).get() == "done"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["chen@example.org", "second@example.org"]
    assert "浙江省企业联合会" in message.subject and "2026-02" in message.subject
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert services.report_email_managers(run_id=run.pk) == 0  # never twice
    assert ReportRun.objects.get(pk=run.pk).emailed_at is not None
