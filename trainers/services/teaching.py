"""Writes for workshop teaching: who teaches a workshop (its teaching team, with history)
and completing a workshop, which plans the consulting visits of the enterprises that attended."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal.access import Perm
from score_portal.services import delete_as, require, save_as
from workshops.models import Workshop
from workshops.services import workshop_mark_held

from .. import eligibility
from ..models import Certification, Trainer, WorkshopTrainer
from .visits import plan_visits


def eligibility_warnings(workshop: Workshop, trainers: list[Trainer]) -> dict[int, list[dict]]:
    """Why a team may not teach this module, per trainer (codes, see ``trainers.eligibility``):
    every trainer should hold a valid certification for it, or be a candidate working with a
    certified co-trainer. Judged on the workshop's first day."""
    certifications = {
        c.trainer_id: c
        for c in Certification.objects.filter(module=workshop.module, trainer__in=trainers)
    }
    on = workshop.start_date or timezone.localdate()
    team_qualified = any(
        certifications[t.pk].is_qualified(on) for t in trainers if t.pk in certifications
    )
    found = {}
    for trainer in trainers:
        warnings = eligibility.trainer_warnings(
            certifications.get(trainer.pk),
            module_code=workshop.module.code,
            on=on,
            team_qualified=team_qualified,
        )
        if warnings:
            found[trainer.pk] = warnings
    return found


@transaction.atomic
def workshop_set_trainers(
    *,
    acting_user,
    workshop: Workshop,
    trainers: list[Trainer],
    lead: Trainer | None = None,
    reason: str = "",
) -> list[str]:
    """Set who teaches a workshop. When the team is not qualified for the module the change
    needs a reason; the warnings are returned (and kept with the reason)."""
    require(acting_user, Perm.CHANGE, workshop.partner_id)
    foreign = [t for t in trainers if workshop.partner_id not in t.partner_ids()]
    if foreign:
        raise ValidationError(
            {"trainers": _("%(name)s does not serve this partner.") % {"name": foreign[0]}}
        )
    found = eligibility_warnings(workshop, trainers)
    names = {trainer.pk: trainer for trainer in trainers}
    warnings = [
        eligibility.describe(warning, trainer=names[pk])
        for pk, items in found.items()
        for warning in items
    ]
    reason = (reason or "").strip()
    if warnings and not reason:
        raise ValidationError(
            {"reason": [*warnings, _("Give a reason to go ahead with this team.")]}
        )
    lead = lead or (trainers[0] if trainers else None)
    team = {
        link.trainer_id: link
        for link in WorkshopTrainer.objects.select_for_update().filter(workshop=workshop)
    }
    chosen = {trainer.pk for trainer in trainers}
    for trainer_id, link in team.items():
        if trainer_id not in chosen:
            delete_as(link, acting_user)
    for trainer in trainers:
        link = team.get(trainer.pk) or WorkshopTrainer(workshop=workshop, trainer=trainer)
        # Each trainer keeps only the warnings about them (as codes), and the reason given.
        own = found.get(trainer.pk, [])
        note = reason if own else ""
        state = (trainer == lead, note, own)
        if link.pk and (link.is_lead, link.eligibility_note, link.eligibility_warnings) == state:
            continue  # unchanged: no history row
        link.is_lead, link.eligibility_note, link.eligibility_warnings = state
        save_as(link, acting_user)
    return warnings


@transaction.atomic
def workshop_complete(*, acting_user, workshop: Workshop) -> dict:
    """Mark a workshop as held, move attending enterprises to "in consulting" and plan their
    consulting visits for their consultant, else the workshop's lead trainer."""
    attending = workshop_mark_held(acting_user=acting_user, workshop=workshop)
    link = workshop.trainer_links.select_related("trainer").order_by("-is_lead").first()
    lead = link.trainer if link else None
    planned = []
    for enrolment in attending:
        planned += plan_visits(
            acting_user=acting_user,
            enrolment=enrolment,
            after=workshop.end_date,
            default_trainer=lead,
        )
    return {"enterprises": len(attending), "visits": len(planned)}
