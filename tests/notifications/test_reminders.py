"""Reminders walked through 30 days of a seeded programme on a frozen clock, mailed through
a real SMTP server (aiosmtpd on a free port): each sent once, in the recipient's language,
dropped when the visit is cancelled, delayed (not lost) by an SMTP outage (issue 18)."""

import datetime
import email
import email.policy
import socket

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.urls import reverse

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading
from notifications import services
from notifications.models import Kind, Notification, Preference
from score_portal.models import Profile
from tests.factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    TrainerFactory,
    UserFactory,
    WorkshopFactory,
    certify,
)
from trainers.models import Assignment, ConsultingVisit
from trainers.services.visits import visit_cancel
from workshops.models import Attendance

pytestmark = pytest.mark.django_db(transaction=False)

START = datetime.date(2026, 7, 1)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    inbox.port = port
    yield inbox
    controller.stop()


def _speaks(user, language, address):
    user.email = address
    user.save()
    Profile.objects.update_or_create(user=user, defaults={"language": language})


@pytest.fixture
def programme(cast):
    _speaks(cast.zj_staff, "zh-hans", "staff@zj.example")
    trainer_user = UserFactory(username="trainer-li")
    _speaks(trainer_user, "en", "li@example.org")
    trainer = TrainerFactory(name="Li Ming", name_zh="李明", partners=[cast.zj], user=trainer_user)
    first = EnterpriseFactory(
        partner=cast.zj, name="Huzhou Silk", name_zh="湖州丝绸", email="boss@silk.example"
    )
    enrolment = EnrolmentFactory(enterprise=first)
    Assignment.objects.create(trainer=trainer, enrolment=enrolment)

    def visit(number, planned):
        return ConsultingVisit.objects.create(
            enrolment=enrolment, trainer=trainer, number=number, planned_date=planned
        )

    visits = {
        "late": visit(1, datetime.date(2026, 7, 10)),  # due 07-08, overdue 07-13 / staff 07-16
        "done": visit(2, datetime.date(2026, 7, 12)),  # due 07-10, recorded on the day
        "cancelled": visit(3, datetime.date(2026, 7, 20)),  # cancelled on 07-17: nothing
    }
    # baseline for Jan 2026 → follow-up due 6 months later, 07-15, to the consultant
    KPIReading.objects.create(
        enterprise=first,
        kpi=KPIDefinition.objects.get(code="defect_rate"),
        kind="baseline",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 1, 15),
        value=4,
    )
    # a second enterprise at a workshop held 06-20 without a baseline: staff on 07-20
    second = EnterpriseFactory(partner=cast.zj, name="Anji Bamboo", name_zh="安吉竹业")
    held = WorkshopFactory(
        partner=cast.zj,
        status="held",
        start_date=datetime.date(2026, 6, 19),
        end_date=datetime.date(2026, 6, 20),
    )
    second_enrolment = EnrolmentFactory(enterprise=second)
    held.invitations.add(second_enrolment)
    person = held.participants.create(
        enrolment=second_enrolment, name="Zhou", sex="F", level="worker"
    )
    Attendance.objects.create(participant=person, day=held.start_date, present=True)
    # a workshop starting 07-25: its invited enterprise's contact on 07-24, in Chinese
    coming = WorkshopFactory(
        partner=cast.zj,
        title="M1 Huzhou July",
        status="open",
        start_date=datetime.date(2026, 7, 25),
        end_date=datetime.date(2026, 7, 26),
    )
    coming.invitations.add(enrolment)
    # a certification ending 10-20: 90 days before is 07-22, to the trainer and the staff
    certification = certify(trainer, "M1", "certified")
    certification.valid_until = datetime.date(2026, 10, 20)
    certification.save()
    return {"visits": visits, "workshop": coming, "trainer": trainer}


def _events(cast, programme, day):
    """What people do that day: a visit recorded, another cancelled."""
    if day == datetime.date(2026, 7, 12):
        ConsultingVisit.objects.filter(pk=programme["visits"]["done"].pk).update(
            status="recorded", visit_date=day
        )
    if day == datetime.date(2026, 7, 17):
        visit_cancel(
            acting_user=cast.zj_staff, visit=programme["visits"]["cancelled"], reason="Closed"
        )


def _beat(day):
    """What the worker does on one day: beat evaluates, each queued reminder is delivered."""
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, 0), tick=False):
        for pk in services.reminders_evaluate():
            services.notification_deliver(notification_id=pk)


EXPECTED = [
    ("2026-07-01", "workshop_invitation", "boss@silk.example"),
    ("2026-07-08", "visit_due", "li@example.org"),
    ("2026-07-10", "visit_due", "li@example.org"),
    ("2026-07-13", "visit_overdue", "li@example.org"),
    ("2026-07-15", "kpi_follow_up", "li@example.org"),
    ("2026-07-16", "visit_overdue", "staff@zj.example"),
    ("2026-07-20", "no_baseline", "staff@zj.example"),
    ("2026-07-22", "certification_expiring", "li@example.org"),
    ("2026-07-22", "certification_expiring", "staff@zj.example"),
    ("2026-07-24", "workshop_tomorrow", "boss@silk.example"),
]


def test_thirty_days_of_reminders_each_once_in_the_recipients_language(cast, programme, smtp):
    sent_on = []
    for offset in range(30):
        day = START + datetime.timedelta(days=offset)
        before = len(smtp.messages)
        _events(cast, programme, day)
        _beat(day)
        _beat(day)  # beat twice the same day: nothing more
        for rcpt, _message in smtp.messages[before:]:
            sent_on.append((day.isoformat(), rcpt[0]))
    sent = Notification.objects.filter(status="sent").order_by("sent_at", "pk")
    assert sorted((n.sent_at.date().isoformat(), n.kind, n.email) for n in sent) == EXPECTED
    assert sorted(sent_on) == sorted((d, e) for d, _k, e in EXPECTED)
    assert len(smtp.messages) == len(EXPECTED)
    by_kind = {(message["To"], message["Subject"]): message for _rcpt, message in smtp.messages}
    subjects = sorted(subject.strip() for _to, subject in by_kind)
    # the trainer reads English, the staff Chinese (their profiles), the contact Chinese
    assert "Visit 1 to Huzhou Silk on 2026-07-10" in subjects
    assert "逾期：计划于 2026-07-10 对 湖州丝绸 的第 1 次走访" in subjects  # the staff's
    assert "尚无基线数据：安吉竹业" in subjects
    to_contact = [m for (to, _s), m in by_kind.items() if to == "boss@silk.example"]
    invited = next(m for m in to_contact if m["Subject"].strip().startswith("邀请"))
    assert (
        invited["Subject"].strip() == "邀请：SCORE 培训班 M1 Huzhou July，2026-07-25 – 2026-07-26"
    )
    assert [part.get_filename() for part in invited.iter_attachments()] == ["workshop.ics"]
    invitation = next(m for m in to_contact if m["Subject"].strip().startswith("提醒"))
    assert (
        invitation["Subject"].strip()
        == "提醒：SCORE 培训班 M1 Huzhou July 将于明天（2026-07-25）开始"
    )
    assert invitation["Content-Language"] == "zh-hans"
    calendar = next(part for part in invitation.iter_attachments())
    assert calendar.get_filename() == "workshop.ics"
    assert calendar.get_content_type() == "text/calendar"
    ics = calendar.get_content()
    if isinstance(ics, bytes):
        ics = ics.decode()
    assert "DTSTART;VALUE=DATE:20260725" in ics and "DTEND;VALUE=DATE:20260727" in ics
    assert "BEGIN:VEVENT" in ics
    # no reminder for the cancelled visit, none for the recorded one after its due one
    cancelled = programme["visits"]["cancelled"].pk
    assert not Notification.objects.filter(subject_type="visit", subject_id=cancelled).exists()


def _invitations_sent():
    """The first of the month: the coming workshop's invitation goes (the server is up), so
    the tests below see only the visit's reminder."""
    _beat(datetime.date(2026, 7, 1))
    assert list(Notification.objects.values_list("kind", "status")) == [
        ("workshop_invitation", "sent")
    ]


def test_cancelling_a_visit_drops_its_reminders(cast, programme, smtp, settings):
    _invitations_sent()
    before = len(smtp.messages)
    settings.EMAIL_PORT = _free_port()  # the SMTP server is down
    visit = programme["visits"]["late"]
    with time_machine.travel(datetime.datetime(2026, 7, 8, 9, 0), tick=False):
        (pk,) = services.reminders_evaluate()
        with pytest.raises(OSError):
            services.notification_deliver(notification_id=pk)
    notification = Notification.objects.get(pk=pk)
    assert notification.status == "pending" and notification.attempts == 1  # delayed, kept
    assert notification.last_error
    visit_cancel(acting_user=cast.zj_staff, visit=visit, reason="Enterprise closed")
    settings.EMAIL_PORT = smtp.port  # the server is back
    with time_machine.travel(datetime.datetime(2026, 7, 9, 9, 0), tick=False):
        assert services.reminders_evaluate() == []
        assert services.notification_deliver(notification_id=pk) == "skipped"
    assert Notification.objects.get(pk=pk).status == "dropped"
    assert smtp.messages[before:] == []


def test_an_smtp_outage_delays_then_sends_once(cast, programme, smtp, settings):
    _invitations_sent()
    settings.EMAIL_PORT = _free_port()
    with time_machine.travel(datetime.datetime(2026, 7, 8, 9, 0), tick=False):
        (pk,) = services.reminders_evaluate()
        with pytest.raises(OSError):
            services.notification_deliver(notification_id=pk)
        # retried before its next attempt time: not claimed
        assert services.notification_deliver(notification_id=pk) == "skipped"
    settings.EMAIL_PORT = smtp.port
    with time_machine.travel(datetime.datetime(2026, 7, 8, 10, 0), tick=False):
        assert services.reminders_evaluate() == [pk]  # beat re-queues it
        assert services.notification_deliver(notification_id=pk) == "sent"
        assert services.notification_deliver(notification_id=pk) == "skipped"  # duplicate msg
    assert len(smtp.messages) == 2  # the invitation, then the visit's reminder once
    assert Notification.objects.get(pk=pk).attempts == 2


def test_preferences_portal_only_and_off(client, cast, programme, smtp):
    trainer_user = programme["trainer"].user
    Preference.objects.create(user=trainer_user, kind="visit_due", channel="portal")
    Preference.objects.create(user=trainer_user, kind="kpi_follow_up", channel="off")
    for offset in range(16):
        day = START + datetime.timedelta(days=offset)
        _events(cast, programme, day)
        _beat(day)
    mailed = [(rcpt[0], m["Subject"]) for rcpt, m in smtp.messages]
    assert not any("Visit 1 to" in subject for _to, subject in mailed)
    assert not Notification.objects.filter(kind="kpi_follow_up", status="sent").exists()
    client.force_login(trainer_user)
    home = client.get(reverse("home")).content.decode()
    assert "Notifications" in home
    unread = Notification.objects.filter(recipient=trainer_user, read_at__isnull=True)
    shown = unread.exclude(status__in=["off", "dropped"]).count()
    # visit 1 due (portal only) and overdue (mailed); visit 2 due was dropped when recorded
    assert shown == 2
    assert f'{shown}<span class="visually-hidden"> unread' in home
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Visit 1 to Huzhou Silk on 2026-07-10" in page
    assert "KPI follow-up" not in page  # turned off
    client.post(reverse("notifications:read"))
    home = client.get(reverse("home")).content.decode()
    assert 'visually-hidden"> unread' not in home


def test_preferences_page_saves_the_persons_choice(client, cast):
    client.force_login(cast.zj_staff)
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 200
    data = dict.fromkeys(Kind.values, "email")
    data["no_baseline"] = "portal"
    assert client.post(url, data).status_code == 302
    assert Preference.objects.get(user=cast.zj_staff).channel == "portal"
    data["no_baseline"] = "nonsense"
    assert client.post(url, data).status_code == 400
