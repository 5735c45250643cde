"""Report subscriptions: one report and one mail per period through a real SMTP server,
access checked again at every delivery and at download, the default monthly partner report,
and the pages."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import subscriptions
from reports.models import ReportRun, ReportSubscription, SubscriptionDelivery
from reports.tasks import build_report, deliver_subscriptions
from score_portal.memberships import membership_revoke
from score_portal.models import Membership, Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAYS = [dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_URL = "https://score.example.org"


@pytest.fixture
def built_synchronously():
    """The worker's part, run here: build each requested run and hand it to the senders."""

    def publish(pk):
        assert build_report.apply(args=[str(pk)]).get() == "done"
        return True

    with (
        mock.patch.object(ReportRun, "enqueue", side_effect=publish),
        mock.patch(
            "reports.tasks.deliver_run_subscriptions.delay",
            side_effect=lambda run_id: subscriptions.deliveries_for_run(run_id=run_id),
        ),
        mock.patch(
            "reports.tasks.send_subscription_delivery.delay",
            side_effect=lambda pk: subscriptions.delivery_send(delivery_id=pk),
        ),
    ):
        yield


def _weekly(cast, user, **extra):
    subscription = ReportSubscription(
        kind=extra.pop("kind", ReportRun.Kind.PARTNER),
        partner=cast.zj,
        frequency=ReportSubscription.Frequency.WEEKLY,
        language=extra.pop("language", "en"),
        **extra,
    )
    subscription = subscriptions.subscription_save(acting_user=user, subscription=subscription)
    ReportSubscription.objects.filter(pk=subscription.pk).update(
        created_at=timezone.make_aware(dt.datetime(2026, 2, 20, 9))
    )
    return subscription


def _deliver(day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return subscriptions.subscriptions_deliver_due(today=day)


@pytest.mark.parametrize(
    "frequency, today, expected",
    [
        ("weekly", dt.date(2026, 3, 2), (dt.date(2026, 2, 23), dt.date(2026, 3, 1))),
        ("weekly", dt.date(2026, 3, 8), (dt.date(2026, 2, 23), dt.date(2026, 3, 1))),
        ("monthly", dt.date(2026, 3, 1), (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
        ("monthly", dt.date(2026, 1, 15), (dt.date(2025, 12, 1), dt.date(2025, 12, 31))),
        ("quarterly", dt.date(2026, 1, 1), (dt.date(2025, 10, 1), dt.date(2025, 12, 31))),
        ("quarterly", dt.date(2026, 5, 20), (dt.date(2026, 1, 1), dt.date(2026, 3, 31))),
    ],
)
def test_the_period_delivered_is_the_last_complete_one(frequency, today, expected):
    assert subscriptions.latest_period(frequency, today) == expected


@pytest.mark.parametrize(
    "frequency, today, expected",
    [
        ("weekly", dt.date(2026, 3, 4), dt.date(2026, 3, 9)),
        ("monthly", dt.date(2026, 12, 5), dt.date(2027, 1, 1)),
        ("quarterly", dt.date(2026, 11, 5), dt.date(2027, 1, 1)),
        ("quarterly", dt.date(2026, 2, 5), dt.date(2026, 4, 1)),
    ],
)
def test_next_delivery_day(frequency, today, expected):
    assert subscriptions.next_delivery_on(frequency, today) == expected


def test_weekly_subscription_sends_one_report_and_one_mail_per_week(
    cast, smtp_server, built_synchronously, django_capture_on_commit_callbacks
):
    cast.zj_manager.email = "chen@example.org"
    cast.zj_manager.save()
    subscription = _weekly(cast, cast.zj_manager)
    for monday in MONDAYS:
        for day in (monday, monday + dt.timedelta(days=1)):  # and beat runs again the next day
            _deliver(day, django_capture_on_commit_callbacks)
            _deliver(day, django_capture_on_commit_callbacks)  # twice the same day
    mine = subscription.deliveries.order_by("period_start")
    assert [(d.period_start, d.period_end, d.status) for d in mine] == [
        (monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), "sent") for monday in MONDAYS
    ]
    assert len({d.run_id for d in mine}) == 3
    assert all(d.run.status == "done" and d.run.language == "en" for d in mine)
    to_chen = [m for m in smtp_server.messages if m["To"] == "chen@example.org"]
    assert len(to_chen) == 3
    first = to_chen[0]
    assert first["Subject"].strip() == (
        "SCORE Partner progress report: Zhejiang Enterprise Federation, 2026-02-23 – 2026-03-01"
    )
    body = first.get_content()
    run = mine[0].run
    assert f"https://score.example.org/reports/{run.pk}/pdf/" in body
    assert "https://score.example.org/reports/subscriptions/" in body


def test_after_the_membership_ends_the_next_delivery_is_skipped_and_logged(
    cast, smtp_server, built_synchronously, django_capture_on_commit_callbacks
):
    reader = UserFactory(username="zj-manager-2", email="second@example.org")
    membership = Membership.objects.create(user=reader, partner=cast.zj, role=Role.PARTNER_MANAGER)
    subscription = _weekly(cast, reader)
    _deliver(MONDAYS[0], django_capture_on_commit_callbacks)
    membership_revoke(acting_user=cast.programme, membership=membership)
    _deliver(MONDAYS[1], django_capture_on_commit_callbacks)
    deliveries = list(subscription.deliveries.order_by("period_start"))
    assert [d.status for d in deliveries] == ["sent", "skipped"]
    assert deliveries[1].skip_reason == "out_of_scope"
    assert deliveries[1].run_id is None  # no report was built for someone who may not read it
    assert deliveries[1].outcome == "Skipped: out of scope"
    assert [m["To"] for m in smtp_server.messages if m["To"] == "second@example.org"] == [
        "second@example.org"
    ]


def test_a_role_lost_while_the_report_is_built_stops_the_mail(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    reader = UserFactory(username="zj-manager-2", email="second@example.org")
    membership = Membership.objects.create(user=reader, partner=cast.zj, role=Role.PARTNER_MANAGER)
    subscription = _weekly(cast, reader)
    with mock.patch.object(ReportRun, "enqueue", return_value=True):
        _deliver(MONDAYS[0], django_capture_on_commit_callbacks)
    delivery = subscription.deliveries.get()
    membership_revoke(acting_user=cast.programme, membership=membership)
    assert build_report.apply(args=[str(delivery.run_id)]).get() == "done"
    assert subscriptions.delivery_send(delivery_id=delivery.pk) == "skipped"
    delivery.refresh_from_db()
    assert delivery.skip_reason == "out_of_scope"
    assert smtp_server.messages == []


def test_an_smtp_outage_delays_the_mail_and_never_loses_it(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    cast.zj_manager.email = "chen@example.org"
    cast.zj_manager.save()
    subscription = _weekly(cast, cast.zj_manager)
    with mock.patch.object(ReportRun, "enqueue", return_value=True):
        _deliver(MONDAYS[0], django_capture_on_commit_callbacks)
    delivery = subscription.deliveries.get()
    assert build_report.apply(args=[str(delivery.run_id)]).get() == "done"
    smtp_server.stop()
    with pytest.raises(OSError):
        subscriptions.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "waiting"  # rolled back: the task and the daily sweep retry
    smtp_server.start()
    deliver_subscriptions.apply().get()  # the next sweep sends it, once
    deliver_subscriptions.apply().get()
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert [m["To"] for m in smtp_server.messages] == ["chen@example.org"]


def test_each_partner_has_a_default_monthly_subscription_to_its_managers(
    cast, smtp_server, built_synchronously, django_capture_on_commit_callbacks, settings
):
    settings.SCORE_MONTHLY_REPORT_LANGUAGE = "zh-hans"
    cast.sc.is_active = False
    cast.sc.save()
    cast.zj_manager.email = "chen@example.org"
    cast.zj_manager.save()
    second = UserFactory(username="zj-manager-2", email="second@example.org")
    Membership.objects.create(user=second, partner=cast.zj, role=Role.PARTNER_MANAGER)
    cast.zj_staff.email = "staff@example.org"  # staff are not managers: not mailed
    cast.zj_staff.save()
    assert subscriptions.subscriptions_ensure_defaults() == 1
    default = ReportSubscription.objects.get(subscriber__isnull=True)
    assert (default.partner, default.kind, default.frequency, default.language) == (
        cast.zj,
        "partner",
        "monthly",
        "zh-hans",
    )
    ReportSubscription.objects.filter(pk=default.pk).update(
        created_at=timezone.make_aware(dt.datetime(2026, 1, 5, 9))
    )
    _deliver(dt.date(2026, 3, 1), django_capture_on_commit_callbacks)
    _deliver(dt.date(2026, 3, 2), django_capture_on_commit_callbacks)
    delivery = default.deliveries.get()
    assert (delivery.period_start, delivery.period_end, delivery.status) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 28),
        "sent",
    )
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert sorted(a.strip() for a in message["To"].split(",")) == [
        "chen@example.org",
        "second@example.org",
    ]
    assert "浙江省企业联合会" in message["Subject"] and "2026-02-01" in message["Subject"]
    assert "下载" in message.get_content()  # the Chinese body
    # Paused by a manager: the next month is skipped, the default is not recreated.
    default.refresh_from_db()
    subscriptions.subscription_delete(acting_user=cast.zj_manager, subscription=default)
    assert subscriptions.subscriptions_ensure_defaults() == 0
    _deliver(dt.date(2026, 4, 1), django_capture_on_commit_callbacks)
    assert default.deliveries.order_by("-period_end").first().skip_reason == "paused"
    assert len(smtp_server.messages) == 1


def test_beat_schedules_the_subscriptions_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["report-subscriptions"]
    assert entry["task"] == deliver_subscriptions.name
    assert entry["schedule"].hour == {6}
    assert "monthly-partner-reports" not in settings.CELERY_BEAT_SCHEDULE


def test_the_mailed_link_checks_access_again(
    cast, client, built_synchronously, smtp_server, django_capture_on_commit_callbacks
):
    cast.zj_manager.email = "chen@example.org"
    cast.zj_manager.save()
    subscription = _weekly(cast, cast.zj_manager)
    _deliver(MONDAYS[0], django_capture_on_commit_callbacks)
    run = subscription.deliveries.get().run
    url = reverse("reports:run-download", args=[run.pk])
    client.force_login(cast.zj_manager)
    assert client.get(url).status_code == 200
    client.force_login(cast.sc_staff)
    assert client.get(url).status_code == 404


# --- Pages -------------------------------------------------------------------------------------


def test_a_manager_subscribes_on_the_page(cast, client):
    client.force_login(cast.zj_manager)
    page = client.get(reverse("reports:subscription-create"))
    assert page.status_code == 200
    token = (
        page.context["form"]["form_token"].value()
        if "form_token" in page.context["form"].fields
        else ""
    )
    data = {
        "kind": "partner",
        "partner": cast.zj.pk,
        "period": "ytd",
        "language": "zh-hans",
        "frequency": "quarterly",
        "is_active": "on",
    }
    if token:
        data["form_token"] = token
    response = client.post(reverse("reports:subscription-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    subscription = ReportSubscription.objects.get(subscriber=cast.zj_manager)
    assert (subscription.partner, subscription.period, subscription.frequency) == (
        cast.zj,
        "ytd",
        "quarterly",
    )
    assert subscription.history.first().history_user == cast.zj_manager
    listing = client.get(reverse("reports:subscription-list"))
    assert "Zhejiang Enterprise Federation" in listing.content.decode()


def test_nobody_subscribes_to_another_partners_report(cast, client):
    client.force_login(cast.sc_staff)
    response = client.post(
        reverse("reports:subscription-create"),
        {
            "kind": "partner",
            "partner": cast.zj.pk,
            "period": "last",
            "language": "en",
            "frequency": "weekly",
        },
    )
    assert response.status_code == 400  # the form again, with the reason
    assert "partner" in response.context["form"].errors
    assert not ReportSubscription.objects.exists()


def test_someone_elses_subscription_is_404(cast, client):
    subscription = _weekly(cast, cast.zj_manager)
    client.force_login(cast.zj_staff)
    for name in ("subscription-edit", "subscription-preview"):
        assert client.get(reverse(f"reports:{name}", args=[subscription.pk])).status_code == 404
    for name in ("subscription-run", "subscription-delete"):
        assert client.post(reverse(f"reports:{name}", args=[subscription.pk])).status_code == 404
    assert ReportSubscription.objects.filter(pk=subscription.pk).exists()


def test_preview_shows_the_mail_in_the_subscriptions_language(cast, client):
    cast.zj_manager.email = "chen@example.org"
    cast.zj_manager.save()
    subscription = _weekly(cast, cast.zj_manager, language="zh-hans")
    client.force_login(cast.zj_manager)
    page = client.get(reverse("reports:subscription-preview", args=[subscription.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "chen@example.org" in text
    assert "浙江省企业联合会" in text


def test_run_now_builds_and_mails_an_extra_delivery(
    cast, client, smtp_server, built_synchronously, django_capture_on_commit_callbacks
):
    cast.zj_manager.email = "chen@example.org"
    cast.zj_manager.save()
    subscription = _weekly(cast, cast.zj_manager)
    client.force_login(cast.zj_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:subscription-run", args=[subscription.pk]))
    assert response.status_code == 302
    delivery = subscription.deliveries.get()
    assert delivery.manual and delivery.status == "sent"
    assert len(smtp_server.messages) == 1


def test_a_partner_manager_pauses_the_default_subscription_but_staff_cannot(cast, client):
    subscriptions.subscriptions_ensure_defaults()
    default = ReportSubscription.objects.get(subscriber__isnull=True, partner=cast.zj)
    client.force_login(cast.zj_staff)
    assert client.post(reverse("reports:subscription-delete", args=[default.pk])).status_code == 404
    client.force_login(cast.zj_manager)
    assert client.post(reverse("reports:subscription-delete", args=[default.pk])).status_code == 302
    default.refresh_from_db()
    assert default.is_active is False
    assert default.history.first().history_user == cast.zj_manager


def test_pages_in_chinese(cast, client):
    _weekly(cast, cast.zj_manager)
    client.force_login(cast.zj_manager)
    page = client.get(reverse("reports:subscription-list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "报告订阅" in text and "每周" in text


def test_delivery_status_labels():
    delivery = SubscriptionDelivery(status="skipped", skip_reason="out_of_scope")
    assert delivery.outcome == "Skipped: out of scope"


# --- enterprise groups (issue 16): a group report on a schedule ------------------------------


@pytest.fixture
def zj_group(cast):
    from enterprises.models import EnterpriseGroup

    from ..factories import EnterpriseFactory

    group = EnterpriseGroup.objects.create(
        partner=cast.zj, name="Transport Group", name_zh="交通集团"
    )
    for name in ("Port Co.", "Road Co."):
        EnterpriseFactory(partner=cast.zj, name=name, group=group)
    return group


def test_a_manager_subscribes_to_a_group_report_and_it_is_delivered(
    cast, client, zj_group, smtp_server, built_synchronously, django_capture_on_commit_callbacks
):
    cast.zj_manager.email = "chen@example.org"
    cast.zj_manager.save()
    client.force_login(cast.zj_manager)
    page = client.get(reverse("reports:subscription-create")).content.decode()
    assert "Transport Group (ZJ)" in page
    response = client.post(
        reverse("reports:subscription-create"),
        {
            "kind": "group",
            "group": zj_group.pk,
            "period": "last",
            "language": "en",
            "frequency": "weekly",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    subscription = ReportSubscription.objects.get(subscriber=cast.zj_manager)
    assert (subscription.kind, subscription.group, subscription.partner) == (
        "group",
        zj_group,
        cast.zj,
    )
    assert subscription.enterprise is None
    ReportSubscription.objects.filter(pk=subscription.pk).update(
        created_at=timezone.make_aware(dt.datetime(2026, 2, 20, 9))
    )
    _deliver(MONDAYS[0], django_capture_on_commit_callbacks)
    delivery = subscription.deliveries.get()
    assert delivery.status == "sent"
    assert (delivery.run.kind, delivery.run.group) == ("group", zj_group)
    [mail] = [m for m in smtp_server.messages if m["To"] == "chen@example.org"]
    assert "Transport Group" in str(mail["Subject"])
    listing = client.get(reverse("reports:subscription-list")).content.decode()
    assert "Transport Group" in listing


def test_a_group_report_subscription_needs_its_group(cast, client, zj_group):
    client.force_login(cast.zj_manager)
    response = client.post(
        reverse("reports:subscription-create"),
        {"kind": "group", "period": "last", "language": "en", "frequency": "weekly"},
    )
    assert response.status_code == 400
    assert "group" in response.context["form"].errors
    assert not ReportSubscription.objects.exists()


def test_nobody_subscribes_to_another_partners_group(cast, client, zj_group):
    client.force_login(cast.sc_staff)
    response = client.post(
        reverse("reports:subscription-create"),
        {
            "kind": "group",
            "group": zj_group.pk,
            "period": "last",
            "language": "en",
            "frequency": "weekly",
        },
    )
    assert response.status_code == 400
    assert "group" in response.context["form"].errors
    assert not ReportSubscription.objects.exists()


def test_a_group_subscription_stops_when_the_reader_loses_the_partner(
    cast, zj_group, smtp_server, built_synchronously, django_capture_on_commit_callbacks
):
    cast.zj_staff.email = "wu@example.org"
    cast.zj_staff.save()
    subscription = _weekly(cast, cast.zj_staff, kind="group", group=zj_group)
    _deliver(MONDAYS[0], django_capture_on_commit_callbacks)
    membership_revoke(acting_user=cast.programme, membership=cast.zj_staff.memberships.get())
    _deliver(MONDAYS[1], django_capture_on_commit_callbacks)
    deliveries = list(subscription.deliveries.order_by("period_start"))
    assert [d.status for d in deliveries] == ["sent", "skipped"]
    assert deliveries[0].run.group == zj_group
    assert deliveries[1].skip_reason == "out_of_scope" and deliveries[1].run_id is None
    assert len([m for m in smtp_server.messages if m["To"] == "wu@example.org"]) == 1
