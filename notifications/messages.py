"""What a reminder says, in the recipient's language: built from the stored kind and
parameters when shown or mailed (never stored as text)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from .models import Kind, Notification


def _local(params: dict, key: str) -> str:
    """A bilingual name: the Chinese one on Chinese text when there is one."""
    if (get_language() or "").startswith("zh") and params.get(f"{key}_zh"):
        return params[f"{key}_zh"]
    return params.get(key, "")


def subject(notification: Notification) -> str:
    p = {**notification.params}
    kind = notification.kind
    if kind == Kind.VISIT_DUE:
        return _("Visit %(number)s to %(enterprise)s on %(date)s") % {
            **p,
            "enterprise": _local(p, "enterprise"),
        }
    if kind == Kind.VISIT_OVERDUE:
        return _("Overdue: visit %(number)s to %(enterprise)s planned for %(date)s") % {
            **p,
            "enterprise": _local(p, "enterprise"),
        }
    if kind == Kind.KPI_FOLLOW_UP:
        return _("KPI follow-up due: %(enterprise)s, %(months)s months after the baseline") % {
            **p,
            "enterprise": _local(p, "enterprise"),
        }
    if kind == Kind.NO_BASELINE:
        return _("No baseline data yet: %(enterprise)s") % {"enterprise": _local(p, "enterprise")}
    if kind == Kind.WORKSHOP_INVITATION:
        return _("Invitation: SCORE workshop %(title)s, %(date)s – %(end)s") % p
    if kind == Kind.WORKSHOP_TOMORROW:
        return _("Reminder: SCORE workshop %(title)s starts tomorrow, %(date)s") % p
    if kind == Kind.CERTIFICATION_EXPIRING:
        return _("Certification %(module)s of %(trainer)s expires on %(date)s") % {
            **p,
            "trainer": _local(p, "trainer"),
        }
    return str(kind)


def body(notification: Notification) -> str:
    p = {**notification.params}
    kind = notification.kind
    if kind == Kind.VISIT_DUE:
        text = _("Your consulting visit %(number)s to %(enterprise)s (%(module)s) is on %(date)s.")
    elif kind == Kind.VISIT_OVERDUE:
        text = _(
            "Consulting visit %(number)s to %(enterprise)s (%(module)s) was planned for "
            "%(date)s and is not recorded yet. Record it, or move or cancel it."
        )
    elif kind == Kind.KPI_FOLLOW_UP:
        text = _(
            "%(enterprise)s is due for its KPI follow-up %(months)s months after the baseline "
            "(from %(date)s). Collect and record the readings."
        )
    elif kind == Kind.NO_BASELINE:
        text = _(
            "%(enterprise)s attended its first workshop on %(date)s and has no baseline KPI "
            "data yet."
        )
    elif kind == Kind.WORKSHOP_INVITATION:
        text = _(
            "Your enterprise is invited to the SCORE workshop %(title)s (%(module)s) from "
            "%(date)s to %(end)s at %(venue)s, organised by %(partner)s. The calendar file is "
            "attached; please confirm your delegates with the organiser."
        )
    elif kind == Kind.WORKSHOP_TOMORROW:
        text = _(
            "The SCORE workshop %(title)s (%(module)s) starts tomorrow, %(date)s, at %(venue)s. "
            "The calendar file is attached. Organised by %(partner)s."
        )
    elif kind == Kind.CERTIFICATION_EXPIRING:
        text = _(
            "The certification of %(trainer)s for %(module)s expires on %(date)s (in "
            "%(days)s days). A renewal needs recent delivery: workshops taught and enterprises "
            "visited."
        )
    else:
        text = ""
    return text % {
        **p,
        "enterprise": _local(p, "enterprise"),
        "trainer": _local(p, "trainer"),
    }


def link(notification: Notification) -> str:
    """The portal page the reminder is about (a path)."""
    target = {
        "visit": "trainers:visits:detail",
        "workshop": "workshops:detail",
        "enterprise": "enterprises:detail",
    }.get(notification.subject_type)
    if target:
        return reverse(target, args=[notification.subject_id])
    return reverse("notifications:list")


def mail_text(notification: Notification) -> tuple[str, str]:
    with override(notification.language):
        text = body(notification)
        if notification.recipient_id:
            text += "\n\n" + settings.PORTAL_URL.rstrip("/") + link(notification)
            text += "\n\n" + _("You can choose which reminders you receive in the portal.")
        return subject(notification), text + "\n\n" + _("SCORE Portal")


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def workshop_ics(notification: Notification) -> str:
    """An iCalendar (RFC 5545) all-day event for the workshop's days."""
    p = notification.params
    start = datetime.date.fromisoformat(p["date"])
    end = datetime.date.fromisoformat(p["end"]) + datetime.timedelta(days=1)  # exclusive
    host = settings.PORTAL_URL.split("://", 1)[-1].rstrip("/")
    with override(notification.language):
        summary = _("SCORE workshop %(title)s") % p
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SCORE Portal//Reminders//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:workshop-{notification.subject_id}@{host}",
        f"DTSTAMP:{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{_ics_text(summary)}",
        f"LOCATION:{_ics_text(p.get('venue', ''))}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
