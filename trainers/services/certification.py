"""Writes for trainers' certification in the modules (each change kept in history)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for
from score_portal.dates import add_months
from score_portal.services import assign, save_as

from ..models import Certification, Trainer
from ..selectors import certification_evidence

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
    certification.full_clean()  # first: a decision date in year 9999 is refused, not added to
    if certification.grade in Certification.QUALIFIED and not certification.valid_until:
        start = certification.renewed_on or certification.decision_date
        certification.valid_until = add_months(start, module.validity_months)
    save_as(certification, acting_user)
    if supervised_workshops is not None:
        certification.supervised_workshops.set(supervised_workshops)
    if supervised_enterprises is not None:
        certification.supervised_enterprises.set(supervised_enterprises)
    return certification


@transaction.atomic
def certification_renew(*, acting_user, certification: Certification, on=None) -> Certification:
    """Renew a certification for another validity period from ``on`` (today). Needs evidence
    of recent delivery: the module's thresholds (workshops taught, enterprises visited) met by
    deliveries within the last validity period."""
    trainer = certification.trainer
    if not any(access_for(acting_user).has_perm(Perm.CHANGE, pid) for pid in trainer.partner_ids()):
        raise PermissionDenied
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if certification.grade not in (*Certification.QUALIFIED, Certification.Grade.EXPIRED):
        raise ValidationError(_("Only a certified or expert trainer's certification is renewed."))
    on = on or timezone.localdate()
    months = certification.module.validity_months
    since = add_months(on, -months)
    evidence = certification_evidence(trainer, since=since, module=certification.module)
    if not evidence or not evidence[0]["meets"]:
        row = evidence[0] if evidence else {}
        raise ValidationError(
            _(
                "No evidence of recent delivery: since %(since)s, %(workshops)s of "
                "%(min_workshops)s workshops taught and %(enterprises)s of %(min_enterprises)s "
                "enterprises visited in %(module)s."
            )
            % {
                "since": since.isoformat(),
                "workshops": row.get("workshops", 0),
                "min_workshops": certification.module.cert_min_workshops,
                "enterprises": row.get("enterprises", 0),
                "min_enterprises": certification.module.cert_min_enterprises,
                "module": certification.module.code,
            }
        )
    if certification.grade == Certification.Grade.EXPIRED:
        certification.grade = Certification.Grade.CERTIFIED
    certification.renewed_on = on
    certification.valid_until = add_months(on, months)
    certification.full_clean()
    save_as(certification, acting_user)
    return certification
