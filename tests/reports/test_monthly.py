"""Runs requested before subscriptions with "e-mail the managers" set are still mailed once
(the monthly partner report itself is now every partner's default subscription:
test_subscriptions.py)."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail

from reports import services
from reports.models import ReportRun
from reports.tasks import build_report, request_monthly_reports
from score_portal.models import Membership, Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_old_monthly_task_now_delivers_the_subscriptions(cast, settings):
    with mock.patch("reports.subscriptions.subscriptions_deliver_due", return_value=[]) as due:
        assert request_monthly_reports.apply().get() == 0
    due.assert_called_once_with()


def test_an_older_run_marked_for_the_managers_is_mailed_once(cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    cast.zj_manager.email = "chen@example.org"
    cast.zj_manager.save()
    second = UserFactory(username="zj-manager-2", email="second@example.org")
    Membership.objects.create(user=second, partner=cast.zj, role=Role.PARTNER_MANAGER)
    cast.zj_staff.email = "staff@example.org"  # staff are not mailed
    cast.zj_staff.save()
    period_from, period_to = dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    run = ReportRun.objects.create(
        kind=ReportRun.Kind.PARTNER,
        partner=cast.zj,
        period_from=period_from,
        period_to=period_to,
        language="zh-hans",
        email_managers=True,
        params_key=ReportRun.make_params_key(
            kind="partner",
            partner_id=cast.zj.pk,
            enterprise_id=None,
            period_from=period_from,
            period_to=period_to,
            language="zh-hans",
        ),
    )
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
