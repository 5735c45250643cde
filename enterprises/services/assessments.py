"""Writes for SCORE assessments: record a baseline or progress assessment, correct one.

Any author who may record for the enterprise may submit (partner staff, its assigned
trainers; the enterprise's own contact once that role exists): ``source`` says which, from
the author's role unless the caller names it. Every answer is saved with its author in its
history."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.models import ChecklistVersion, Module
from score_portal.access import Perm, access_for, can, scope
from score_portal.models import Role
from score_portal.services import bulk_create_as, bulk_update_as, require, save_as

from ..models import Assessment, AssessmentAnswer, Enterprise


def assessment_source_for(acting_user, enterprise: Enterprise) -> str:
    """The source an author's assessment is marked with: the enterprise's own contact
    submits as "enterprise", a trainer of the enterprise's partner records as "trainer",
    everyone else who may record there as "staff"."""
    if enterprise.pk in access_for(acting_user).enterprise_ids:
        return Assessment.Source.ENTERPRISE
    role = access_for(acting_user).roles_by_partner.get(enterprise.partner_id)
    return Assessment.Source.TRAINER if role == Role.TRAINER else Assessment.Source.STAFF


def _require_record(acting_user, enterprise: Enterprise) -> None:
    """Partner staff, a trainer assigned to the enterprise, or the enterprise's own contact
    (who submits its self-assessment)."""
    if can(acting_user, Perm.SUBMIT, enterprise):
        return
    require(acting_user, Perm.RECORD, enterprise.partner_id)
    if not scope(acting_user, Enterprise.objects.filter(pk=enterprise.pk), Perm.RECORD).exists():
        raise PermissionDenied  # a trainer records only for enterprises assigned to them


def _clean_answers(version: ChecklistVersion, answers: dict) -> dict[int, bool]:
    items = {item.pk for item in version.items.all()}
    given = {int(pk): value for pk, value in answers.items() if value is not None}
    if set(given) - items:
        raise ValidationError(_("Some answers are for practices of another checklist."))
    if set(given) != items or any(not isinstance(v, bool) for v in given.values()):
        raise ValidationError(_("Answer every practice with yes or no."))
    return given


def _check_dates(enterprise, module, kind, assessed_on, exclude_pk=None) -> None:
    others = Assessment.objects.filter(enterprise=enterprise, module=module).exclude(pk=exclude_pk)
    if kind == Assessment.Kind.BASELINE:
        later = others.filter(kind=Assessment.Kind.PROGRESS, assessed_on__lt=assessed_on).first()
        if later is not None:
            raise ValidationError(
                {"assessed_on": _("The baseline cannot come after a progress assessment.")}
            )
    else:
        baseline = others.filter(kind=Assessment.Kind.BASELINE).first()
        if baseline is not None and assessed_on < baseline.assessed_on:
            raise ValidationError(
                {"assessed_on": _("A progress assessment cannot come before the baseline.")}
            )


@transaction.atomic
def assessment_record(
    *,
    acting_user,
    enterprise: Enterprise,
    module: Module,
    kind: str,
    assessed_on: datetime.date,
    answers: dict,
    source: str | None = None,
    note: str = "",
    version: ChecklistVersion | None = None,
) -> Assessment:
    """Record an assessment on ``version`` (the module's current checklist by default) with
    ``answers`` ({item id: True/False}, one per practice). One baseline per enterprise and
    module; progress assessments as many as visits need."""
    _require_record(acting_user, enterprise)
    if version is None:
        version = ChecklistVersion.objects.filter(module=module).order_by("-number").first()
        if version is None:
            raise ValidationError(_("This module has no checklist yet."))
    if kind not in Assessment.Kind.values:
        raise ValidationError({"kind": _("Choose a baseline or a progress assessment.")})
    if source is not None and source not in Assessment.Source.values:
        raise ValidationError(_("Unknown source of an assessment."))
    if (
        kind == Assessment.Kind.BASELINE
        and Assessment.objects.filter(enterprise=enterprise, module=module, kind=kind).exists()
    ):
        raise ValidationError(
            {"kind": _("This enterprise already has a baseline assessment for this module.")}
        )
    clean = _clean_answers(version, answers)
    _check_dates(enterprise, module, kind, assessed_on)
    assessment = Assessment(
        enterprise=enterprise,
        module=module,
        version=version,
        kind=kind,
        assessed_on=assessed_on,
        source=source or assessment_source_for(acting_user, enterprise),
        author=acting_user,
        note=note,
    )
    assessment.full_clean()
    save_as(assessment, acting_user)
    bulk_create_as(
        AssessmentAnswer,
        [AssessmentAnswer(assessment=assessment, item_id=pk, answer=v) for pk, v in clean.items()],
        acting_user,
    )
    return assessment


@transaction.atomic
def assessment_update(
    *, acting_user, assessment: Assessment, assessed_on: datetime.date, answers: dict, note=""
) -> Assessment:
    """Correct an assessment's date, note and answers (on the version it was given on). Each
    changed answer gets a history row with its author."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_record(acting_user, assessment.enterprise)
    contact = assessment.enterprise_id in access_for(acting_user).enterprise_ids
    if contact and assessment.source != Assessment.Source.ENTERPRISE:
        raise PermissionDenied  # a contact corrects only what the enterprise submitted
    clean = _clean_answers(assessment.version, answers)
    _check_dates(
        assessment.enterprise_id,
        assessment.module_id,
        assessment.kind,
        assessed_on,
        exclude_pk=assessment.pk,
    )
    assessment.assessed_on, assessment.note = assessed_on, note
    assessment.full_clean()
    save_as(assessment, acting_user)
    changed = []
    for answer in assessment.answers.all():
        if answer.answer != clean[answer.item_id]:
            answer.answer = clean[answer.item_id]
            changed.append(answer)
    bulk_update_as(AssessmentAnswer, changed, ["answer"], acting_user)
    return assessment
