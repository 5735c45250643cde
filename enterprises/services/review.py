"""The data review loop on KPI readings: partner staff verify readings (one or many at once)
or return one for revision with a comment; its author answers, correcting it if needed, and
it waits for review again. Nobody verifies (or returns) what they entered themselves: the
reading's author (``recorded_by``) and its last corrector (``edited_by``).

Each service sends one of the signals below once its transaction has committed, so another
app (webhooks, notifications) can follow the loop without this module knowing it:

* ``readings_verified(sender=KPIReading, readings=[...], acting_user=...)``
* ``reading_returned(sender=KPIReading, reading=..., comment=..., acting_user=...)``
* ``reading_answered(sender=KPIReading, reading=..., comment=..., acting_user=...)``
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from score_portal import events
from score_portal.access import Perm, can
from score_portal.services import require, save_as

from ..models import COMMENT_MAX_LENGTH, KPIReading, ReadingComment
from .kpi import _require_recorder, apply_correction

readings_verified = Signal()
reading_returned = Signal()
reading_answered = Signal()

# What an answer may correct: what the reading says, not which KPI or enterprise it is.
ANSWER_FIELDS = ("value", "period_start", "period_end", "note")


@dataclass
class VerifyOutcome:
    """What a verification did: the readings verified, and those skipped with why."""

    verified: list[KPIReading] = field(default_factory=list)
    own: list[KPIReading] = field(default_factory=list)  # entered by the reviewer
    returned: list[KPIReading] = field(default_factory=list)  # waiting for their author
    already: int = 0  # verified before

    @property
    def count(self) -> int:
        return len(self.verified)

    def messages(self) -> list[tuple[str, str]]:
        """(level, text) for the page: what was verified and each reason for a skip."""
        result = [
            (
                "success",
                ngettext(
                    "%(count)d reading verified and locked.",
                    "%(count)d readings verified and locked.",
                    self.count,
                )
                % {"count": self.count},
            )
        ]
        if self.own:
            result.append(
                (
                    "warning",
                    ngettext(
                        "%(count)d reading skipped: you entered it yourself, so someone "
                        "else must verify it.",
                        "%(count)d readings skipped: you entered them yourself, so someone "
                        "else must verify them.",
                        len(self.own),
                    )
                    % {"count": len(self.own)},
                )
            )
        if self.returned:
            result.append(
                (
                    "warning",
                    ngettext(
                        "%(count)d reading skipped: it is returned for revision and waits "
                        "for its author's answer.",
                        "%(count)d readings skipped: they are returned for revision and wait "
                        "for their author's answer.",
                        len(self.returned),
                    )
                    % {"count": len(self.returned)},
                )
            )
        return result


def _clean_comment(text: str, field_name: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field_name: missing})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {field_name: _("Keep it to %(max)d characters.") % {"max": COMMENT_MAX_LENGTH}}
        )
    return text


def _after_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=KPIReading, **kwargs))


@transaction.atomic
def kpi_readings_verify(*, acting_user, readings) -> VerifyOutcome:
    """Verify (and so lock) the readings of a queryset, single or in bulk: each row is locked
    first; those entered by ``acting_user``, those returned for revision and those already
    verified are skipped and reported. Raises PermissionDenied unless the user may verify
    at every reading's partner. Sends ``readings_verified`` on commit."""
    outcome = VerifyOutcome()
    now = timezone.now()
    locked = readings.select_for_update(of=("self",)).select_related("enterprise").order_by("pk")
    for reading in locked:
        require(acting_user, Perm.VERIFY, reading.enterprise.partner_id)
        if reading.is_verified:
            outcome.already += 1
        elif acting_user.pk in reading.entered_by_ids():
            outcome.own.append(reading)
        elif reading.returned_at is not None:
            outcome.returned.append(reading)
        else:
            reading.verified_by, reading.verified_at = acting_user, now
            save_as(reading, acting_user)
            outcome.verified.append(reading)
    events.emit_many(events.VERIFIED, outcome.verified)  # one call for a bulk verify
    if outcome.verified:
        _after_commit(readings_verified, readings=outcome.verified, acting_user=acting_user)
    return outcome


@transaction.atomic
def kpi_reading_return(*, acting_user, reading: KPIReading, comment: str) -> ReadingComment:
    """Return a reading to its author for revision with a comment (required), which the
    author sees on their home page and on the reading. The reading stays unverified (every
    figure that counts verified data leaves it out) until it is answered and verified.
    Sends ``reading_returned`` on commit."""
    require(acting_user, Perm.VERIFY, reading.enterprise.partner_id)
    text = _clean_comment(comment, "comment", _("Say what needs revising."))
    reading = KPIReading.objects.select_for_update().get(pk=reading.pk)
    if reading.is_verified:
        raise ValidationError(
            _("This reading is verified and locked: unlock it first to return it.")
        )
    if reading.returned_at is not None:
        raise ValidationError(_("This reading is already returned and waits for an answer."))
    if acting_user.pk in reading.entered_by_ids():
        raise ValidationError(_("You entered this reading yourself: someone else must review it."))
    reading.returned_by, reading.returned_at = acting_user, timezone.now()
    save_as(reading, acting_user)
    events.emit(events.RETURNED, reading)
    note = ReadingComment(reading=reading, kind=ReadingComment.Kind.RETURN, author=acting_user)
    note.text = text
    note.full_clean()
    save_as(note, acting_user)
    _after_commit(reading_returned, reading=reading, comment=note, acting_user=acting_user)
    return note


def may_answer(user, reading: KPIReading) -> bool:
    """The author answers a returned reading; one without a known author (imported, seeded)
    is answered by whoever may record readings for the enterprise."""
    return reading.recorded_by_id in (None, user.pk)


@transaction.atomic
def kpi_reading_answer(
    *,
    acting_user,
    reading: KPIReading,
    answer: str,
    evidence=None,
    confirm_unusual: bool = False,
    unusual_reason: str = "",
    **data,
) -> ReadingComment:
    """The author answers a returned reading (the answer is required) and may correct it
    (value, period, note, evidence; an unusual value needs its confirmation): it goes back
    to waiting for review. Sends ``reading_answered`` on commit. The enterprise's contact
    answers the readings the enterprise submitted."""
    if not (
        reading.source == KPIReading.Source.ENTERPRISE
        and can(acting_user, Perm.SUBMIT, reading.enterprise)
    ):
        _require_recorder(acting_user, reading.enterprise)
    if not may_answer(acting_user, reading):
        raise PermissionDenied
    text = _clean_comment(answer, "answer", _("Answer the reviewer's comment."))
    reading = KPIReading.objects.select_for_update().get(pk=reading.pk)
    if reading.returned_at is None or reading.is_verified:
        raise ValidationError(_("Only a reading returned for revision is answered."))
    apply_correction(
        acting_user=acting_user,
        reading=reading,
        data=data,
        fields=ANSWER_FIELDS,
        evidence=evidence,
        confirm_unusual=confirm_unusual,
        unusual_reason=unusual_reason,
    )
    reading.returned_by, reading.returned_at = None, None
    save_as(reading, acting_user)
    events.emit(events.UPDATED, reading)
    note = ReadingComment(reading=reading, kind=ReadingComment.Kind.ANSWER, author=acting_user)
    note.text = text
    note.full_clean()
    save_as(note, acting_user)
    _after_commit(reading_answered, reading=reading, comment=note, acting_user=acting_user)
    return note
