"""Writes for trainers' certification in the modules (each change kept in history)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for
from score_portal.services import assign, save_as

from ..models import Certification, Trainer

CERTIFICATION_FIELDS = (
    "grade",
    "tot_date",
    "recommended_by",
    "decision_date",
    "valid_until",
    "notes",
)


@transaction.atomic
def certification_save(
    *,
    acting_user,
    trainer: Trainer,
    module,
    supervised_workshops=None,
    supervised_enterprises=None,
    **data,
) -> Certification:
    """Record a trainer's grade in a module; each change is kept in the history."""
    if not any(access_for(acting_user).has_perm(Perm.CHANGE, pid) for pid in trainer.partner_ids()):
        raise PermissionDenied
    certification = Certification.objects.select_for_update().filter(
        trainer=trainer, module=module
    ).first() or Certification(trainer=trainer, module=module)
    assign(certification, data, CERTIFICATION_FIELDS)
    if certification.recommended_by_id == trainer.pk:
        raise ValidationError({"recommended_by": _("A trainer cannot recommend themselves.")})
    if certification.grade in Certification.QUALIFIED and not certification.decision_date:
        raise ValidationError({"decision_date": _("Give the date of the decision.")})
    certification.full_clean()
    save_as(certification, acting_user)
    if supervised_workshops is not None:
        certification.supervised_workshops.set(supervised_workshops)
    if supervised_enterprises is not None:
        certification.supervised_enterprises.set(supervised_enterprises)
    return certification
