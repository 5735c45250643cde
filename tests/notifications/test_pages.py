"""The notification list and the top bar's count run a fixed number of queries; the worker's
task retries a reminder the SMTP server refused (its row kept pending, never lost)."""

import datetime

import pytest
from celery.exceptions import Retry
from django.urls import reverse

from notifications.models import Notification
from notifications.tasks import send_notification

pytestmark = pytest.mark.django_db


def _notification(user, n, **extra):
    return Notification.objects.create(
        key=f"visit_due:{n}:2026-07-10:u{user.pk}",
        kind="visit_due",
        recipient=user,
        email="li@example.org",
        language="en",
        params={"enterprise": f"E{n}", "module": "M1", "number": 1, "date": "2026-07-10"},
        subject_type="visit",
        subject_id=n,
        due_on=datetime.date(2026, 7, 8),
        **{"status": "portal", **extra},
    )


def test_the_list_runs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    client.force_login(cast.zj_staff)
    for n in range(3):
        _notification(cast.zj_staff, n)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notifications:list"))
    for n in range(3, 30):
        _notification(cast.zj_staff, n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("notifications:list")).content.decode()
    assert "Visit 1 to E29 on 2026-07-10" in html
    assert '30<span class="visually-hidden"> unread' in html


def test_someone_elses_notifications_are_not_shown(client, cast):
    _notification(cast.zj_manager, 1)
    client.force_login(cast.zj_staff)
    html = client.get(reverse("notifications:list")).content.decode()
    # The notification's own words, never a bare "E1" that a random CSRF token can hold.
    assert "Visit 1 to E1" not in html
    assert "No notifications." in html


def test_the_task_retries_when_smtp_is_down(cast, settings):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    notification = _notification(cast.zj_staff, 1, status="pending")
    with pytest.raises(Retry):
        send_notification.apply(args=[notification.pk], throw=True)
    notification.refresh_from_db()
    assert notification.status == "pending" and notification.attempts == 1
    assert notification.next_attempt_at is not None
