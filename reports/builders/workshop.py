"""Workshop pack: the attendance sheet and one certificate of participation per participant
who attended at least one day."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from certificates.qr import qr_data_uri, verification_host, verification_url
from certificates.services import participation_certificates_issue
from workshops.models import Attendance, Participant, Workshop
from workshops.selectors import evaluation_url, participant_counts
from workshops.services import evaluation_tokens_issue

from .base import header, section, table


def _sheet_mark(mark: str | None) -> str:
    """A cell of the attendance sheet: a tick for present, the word for late (attended) and
    excused (did not), blank for absent or not recorded."""
    if mark == Attendance.Status.PRESENT:
        return "✓"
    if mark == Attendance.Status.LATE:
        return "✓ " + _("late")
    if mark == Attendance.Status.EXCUSED:
        return _("excused")
    return ""


def build_workshop(
    *,
    workshop_id: int,
    language: str = "en",
    progress=lambda percent: None,
    acting_user=None,
    **_ignored,
) -> dict:
    workshop = Workshop.objects.select_related("partner", "module").get(pk=workshop_id)
    participants = list(
        Participant.objects.filter(workshop=workshop)
        .select_related("enrolment__enterprise")
        .prefetch_related("attendance")
        .order_by("enrolment__enterprise__name", "name")
    )
    days = workshop.days
    context = header(
        kind="workshop",
        title=_("Workshop attendance and certificates"),
        scope_name=workshop.title,
        period_from=workshop.start_date,
        period_to=workshop.end_date,
        language=language,
    )
    context["partner_name"] = workshop.partner.name
    progress(30)
    rows, certificates = [], []
    attended = [p for p in participants if any(a.present for a in p.attendance.all())]
    # Each certificate of participation is issued once (same code and QR on every rebuild).
    issued = participation_certificates_issue(
        acting_user=acting_user, workshop=workshop, participants=attended
    )
    for person in participants:
        marks = {a.day: a.mark for a in person.attendance.all()}
        present = {day for day, mark in marks.items() if mark in Attendance.ATTENDED}
        rows.append(
            [
                person.enrolment.enterprise.display_name,
                person.name,
                person.get_sex_display(),
                person.get_level_display(),
                person.position,
                *[_sheet_mark(marks.get(day)) for day in days],
                len(present),
            ]
        )
        if present:
            url = verification_url(issued[person.pk])
            certificates.append(
                {
                    "name": person.name,
                    "enterprise": person.enrolment.enterprise.display_name,
                    "days": len(present),
                    "code": issued[person.pk].code,
                    "verify_url": url,
                    "qr": qr_data_uri(url),
                }
            )
    counts = participant_counts(Participant.objects.filter(workshop=workshop))
    day_columns = [date_format(day, "MONTH_DAY_FORMAT") for day in days]
    context["data"] = {
        "participants": counts["total"],
        "women": counts["women"],
        "workers": counts["workers"],
        "certificates": len(certificates),
        "days": len(days),
    }
    trainers = ", ".join(
        link.trainer.display_name for link in workshop.trainer_links.select_related("trainer")
    )
    context["workshop"] = {
        "title": workshop.title,
        "module": f"{workshop.module.code} {workshop.module.name}",
        "dates": context["period_label"],
        "venue": ", ".join(part for part in (workshop.venue, workshop.city) if part),
        "partner": workshop.partner.name,
        "trainers": trainers,
        "end_date": date_format(workshop.end_date),
    }
    context["figures"] = [
        {"label": _("Participants"), "value": counts["total"]},
        {"label": _("Women"), "value": counts["women"]},
        {"label": _("Workers"), "value": counts["workers"]},
        {"label": _("Certificates"), "value": len(certificates)},
    ]
    context["sections"] = [
        section(
            key="attendance",
            title=_("Attendance sheet"),
            tables=[
                table(
                    title="",
                    columns=[
                        _("Enterprise"),
                        pgettext("person", "Name"),
                        _("Sex"),
                        _("Manager or worker"),
                        _("Position"),
                        *day_columns,
                        _("Days present"),
                    ],
                    rows=rows,
                    numeric={5 + len(days)},
                    empty=_("No participants recorded."),
                )
            ],
            note=" ".join(
                part
                for part in (
                    _("Trainers: %(trainers)s.") % {"trainers": trainers} if trainers else "",
                    _("Days present count late arrivals; excused absences are not counted."),
                )
                if part
            ),
        )
    ]
    context["certificates"] = certificates
    # One evaluation slip per participant (cut out and handed out on the last day): a token
    # each, so one response per participant; the QR opens the form in the pack's language.
    tokens = evaluation_tokens_issue(
        acting_user=acting_user, workshop=workshop, participants=participants
    )
    slips = []
    for person in participants:
        url = evaluation_url(tokens[person.pk], language)
        slips.append({"name": person.name, "url": url, "qr": qr_data_uri(url, scale=3)})
    context["evaluation_slips"] = slips
    context["verify_host"] = verification_host()
    progress(60)
    return context
