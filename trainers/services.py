"""Writes for trainers, certification, workshop teaching, consultant assignments and the
visit plan that follows a workshop. Each function runs in one transaction."""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from enterprises.models import Enrolment
from score_portal.access import Perm, access_for
from score_portal.memberships import membership_grant, trainer_memberships_end
from score_portal.models import Membership, Role
from score_portal.services import assign, require
from workshops.models import Workshop
from workshops.services import workshop_mark_held

from .models import Assignment, Certification, ConsultingVisit, Trainer, WorkshopTrainer

TRAINER_FIELDS = ("name", "name_zh", "sex", "phone", "email", "city", "region",
                  "organisation", "is_active", "bio")
CERTIFICATION_FIELDS = ("grade", "tot_date", "recommended_by", "decision_date", "valid_until",
                        "notes")


def _require_change_for_all(user, partners) -> None:
    access = access_for(user)
    if not partners or not all(access.has_perm(Perm.CHANGE, p.pk) for p in partners):
        raise PermissionDenied


@transaction.atomic
def trainer_save(*, acting_user, trainer: Trainer | None = None, partners=None,
                 login_username: str = "", **data) -> tuple[Trainer, str | None]:
    """Create or update a trainer profile. ``partners`` replaces the partners the acting user
    may change (others the trainer serves stay). With a new ``login_username`` a login is
    created (its one-time password is returned) or linked.

    Access follows the acting user's reach: the login gets the trainer role only at partners
    the acting user may change, and only when it is linked, the trainer is reactivated or
    the partner is added by this save (saving a form as loaded grants nothing). A partner
    removed, or the trainer deactivated, ends the login's trainer role there at once."""
    access = access_for(acting_user)
    current = set(trainer.partners.all()) if trainer else set()
    if trainer is not None and not any(access.has_perm(Perm.CHANGE, p.pk) for p in current):
        raise PermissionDenied
    if partners is not None:
        _require_change_for_all(acting_user, partners)
        keep = {p for p in current if not access.has_perm(Perm.CHANGE, p.pk)}
        new_partners = keep | set(partners)
    else:
        new_partners = current
    if not new_partners:
        raise ValidationError({"partners": _("Choose at least one partner.")})
    # The form may have changed the instance already: read what is stored.
    was_active = bool(trainer is not None and trainer.pk and Trainer.objects.filter(
        pk=trainer.pk, is_active=True).exists())
    trainer = trainer or Trainer()
    assign(trainer, data, TRAINER_FIELDS)
    trainer.full_clean(exclude=["partners"])
    trainer._history_user = acting_user
    trainer.save()
    trainer.partners.set(new_partners)
    password = None
    managed = {p for p in new_partners if access.has_perm(Perm.CHANGE, p.pk)}
    login_username = (login_username or "").strip()
    linked = False
    if login_username and (trainer.user_id is None
                           or login_username != trainer.user.username):
        password = _link_login(acting_user, trainer, login_username, new_partners)
        linked = True
    if trainer.user_id:
        user = trainer.user
        removed = current - new_partners
        if removed:
            trainer_memberships_end(acting_user=acting_user, user=user, partners=removed)
        if not trainer.is_active:
            trainer_memberships_end(acting_user=acting_user, user=user,
                                    partners=current | new_partners)
        else:
            reactivated = not was_active and bool(current)
            grant_at = managed if (linked or reactivated) else managed - current
            _grant_trainer_role(acting_user, user, grant_at)
    return trainer, password


def _link_login(acting_user, trainer: Trainer, username: str, partners) -> str | None:
    """Link ``username`` to the trainer (creating the login when nobody has it). A partial
    owner (someone who may not change every partner the trainer serves and every partner
    the current login works for) can never replace a linked login, and an existing login
    is linked only when nothing about it reaches beyond the acting user's partners. The
    refusal reads the same whatever the reason, so it does not tell which usernames exist
    or what they hold."""
    access = access_for(acting_user)
    User = get_user_model()
    if trainer.user_id:
        reach = set(Membership.objects.filter(user_id=trainer.user_id)
                    .values_list("partner_id", flat=True)) | {p.pk for p in partners}
        if None in reach or not all(access.has_perm(Perm.CHANGE, pid) for pid in reach):
            raise ValidationError({"login_username": _(
                "Only someone who manages every partner this trainer and their login work "
                "for can replace the login.")})
    user = User.objects.filter(username=username).first()
    password = None
    if user is None:
        password = secrets.token_urlsafe(9)
        user = User.objects.create_user(username=username, password=password,
                                        email=trainer.email, first_name=trainer.name)
    elif not _linkable(access, user, trainer):
        raise ValidationError({"login_username": _(
            "This username cannot be used for this trainer. Choose another one.")})
    old_user = trainer.user if trainer.user_id else None
    trainer.user = user
    trainer._history_user = acting_user
    trainer.save(update_fields=["user"])
    if old_user is not None:
        trainer_memberships_end(acting_user=acting_user, user=old_user, partners=partners)
    return password


def _linkable(access, user, trainer: Trainer) -> bool:
    if not user.is_active or user.is_staff or user.is_superuser:
        return False
    if Trainer.objects.filter(user=user).exclude(pk=trainer.pk).exists():
        return False
    return all(role == Role.TRAINER and partner_id is not None
               and access.has_perm(Perm.CHANGE, partner_id)
               for partner_id, role in Membership.objects.filter(user=user)
               .values_list("partner_id", "role"))


def _grant_trainer_role(acting_user, user, partners) -> None:
    """The trainer role at each of ``partners`` where the login has no role yet (another
    role it already holds there is left as it is)."""
    if not user.is_active:
        return
    held = set(Membership.objects.filter(user=user).values_list("partner_id", flat=True))
    for partner in partners:
        if partner.pk not in held and partner.is_active:
            membership_grant(acting_user=acting_user, user=user, partner=partner,
                             role=Role.TRAINER, via_trainer=True)


@transaction.atomic
def certification_save(*, acting_user, trainer: Trainer, module, supervised_workshops=None,
                       supervised_enterprises=None, **data) -> Certification:
    """Record a trainer's grade in a module; each change is kept in the history."""
    if not any(access_for(acting_user).has_perm(Perm.CHANGE, pid)
               for pid in trainer.partner_ids()):
        raise PermissionDenied
    certification = (Certification.objects.select_for_update()
                     .filter(trainer=trainer, module=module).first()
                     or Certification(trainer=trainer, module=module))
    assign(certification, data, CERTIFICATION_FIELDS)
    if certification.recommended_by_id == trainer.pk:
        raise ValidationError({"recommended_by": _("A trainer cannot recommend themselves.")})
    if certification.grade in Certification.QUALIFIED and not certification.decision_date:
        raise ValidationError({"decision_date": _("Give the date of the decision.")})
    certification.full_clean()
    certification._history_user = acting_user
    certification.save()
    if supervised_workshops is not None:
        certification.supervised_workshops.set(supervised_workshops)
    if supervised_enterprises is not None:
        certification.supervised_enterprises.set(supervised_enterprises)
    return certification


def eligibility_warnings(workshop: Workshop, trainers: list[Trainer]) -> list[str]:
    """Why a team may not teach this module: every trainer should be certified for it, or a
    candidate working with a certified co-trainer."""
    certifications = {c.trainer_id: c for c in Certification.objects.filter(
        module=workshop.module, trainer__in=trainers)}
    today = workshop.start_date or datetime.date.today()
    qualified = [t for t in trainers
                 if t.pk in certifications and certifications[t.pk].is_qualified(today)]
    warnings = []
    for trainer in trainers:
        certification = certifications.get(trainer.pk)
        if certification and certification.is_qualified(today):
            continue
        if certification and certification.grade == Certification.Grade.CANDIDATE:
            if qualified:
                continue
            warnings.append(_("%(name)s is a candidate for %(module)s and needs a certified "
                              "co-trainer.") % {"name": trainer, "module": workshop.module.code})
        else:
            warnings.append(_("%(name)s is not certified for %(module)s.")
                            % {"name": trainer, "module": workshop.module.code})
    return warnings


@transaction.atomic
def workshop_set_trainers(*, acting_user, workshop: Workshop, trainers: list[Trainer],
                          lead: Trainer | None = None, reason: str = "") -> list[str]:
    """Set who teaches a workshop. When the team is not qualified for the module the change
    needs a reason; the warnings are returned (and kept with the reason)."""
    require(acting_user, Perm.CHANGE, workshop.partner_id)
    foreign = [t for t in trainers if workshop.partner_id not in t.partner_ids()]
    if foreign:
        raise ValidationError({"trainers": _("%(name)s does not serve this partner.")
                               % {"name": foreign[0]}})
    warnings = eligibility_warnings(workshop, trainers)
    reason = (reason or "").strip()
    if warnings and not reason:
        raise ValidationError({"reason": [*warnings, _(
            "Give a reason to go ahead with this team.")]})
    lead = lead or (trainers[0] if trainers else None)
    WorkshopTrainer.objects.filter(workshop=workshop).exclude(trainer__in=trainers).delete()
    note = "\n".join([*warnings, reason]) if warnings else ""
    for trainer in trainers:
        WorkshopTrainer.objects.update_or_create(
            workshop=workshop, trainer=trainer,
            defaults={"is_lead": trainer == lead, "eligibility_note": note})
    return warnings


@transaction.atomic
def assignment_add(*, acting_user, enrolment: Enrolment, trainer: Trainer) -> Assignment:
    require(acting_user, Perm.CHANGE, enrolment.enterprise.partner_id)
    if enrolment.enterprise.partner_id not in trainer.partner_ids():
        raise ValidationError({"trainer": _("%(name)s does not serve this partner.")
                               % {"name": trainer}})
    if not trainer.is_active:
        raise ValidationError({"trainer": _("%(name)s is not active.") % {"name": trainer}})
    assignment, _created = Assignment.objects.get_or_create(
        trainer=trainer, enrolment=enrolment, defaults={"assigned_by": acting_user})
    # Visits still planned without a consultant of this enrolment move to the new one.
    ConsultingVisit.objects.filter(enrolment=enrolment, status=ConsultingVisit.Status.PLANNED) \
        .exclude(trainer__assignments__enrolment=enrolment).update(trainer=trainer)
    return assignment


@transaction.atomic
def assignment_remove(*, acting_user, assignment: Assignment) -> None:
    require(acting_user, Perm.CHANGE, assignment.enrolment.enterprise.partner_id)
    remaining = assignment.enrolment.assignments.exclude(pk=assignment.pk).first()
    planned = ConsultingVisit.objects.filter(enrolment=assignment.enrolment,
                                             trainer=assignment.trainer,
                                             status=ConsultingVisit.Status.PLANNED)
    if remaining:
        planned.update(trainer=remaining.trainer)
    elif planned.exists():
        raise ValidationError(_("Assign another consultant first: %(name)s still has planned "
                                "visits here.") % {"name": assignment.trainer})
    assignment._history_user = acting_user
    assignment.delete()


def plan_visits(*, acting_user, enrolment: Enrolment, after: datetime.date,
                default_trainer: Trainer | None) -> list[ConsultingVisit]:
    """Plan the module's visits after ``after`` (a workshop's last day), numbered after the
    visits the enrolment already has, for its assigned consultant (else the default)."""
    assignment = enrolment.assignments.select_related("trainer").first()
    trainer = assignment.trainer if assignment else default_trainer
    if trainer is None:
        return []
    if assignment is None:
        Assignment.objects.get_or_create(trainer=trainer, enrolment=enrolment,
                                         defaults={"assigned_by": acting_user})
    already_planned = enrolment.visits.filter(status=ConsultingVisit.Status.PLANNED).count()
    start = (enrolment.visits.aggregate(n=Max("number"))["n"] or 0) + 1
    visits = [ConsultingVisit(enrolment=enrolment, trainer=trainer, number=start + index,
                              planned_date=after + datetime.timedelta(days=offset))
              for index, offset in enumerate(enrolment.module.visit_plan()[already_planned:])]
    ConsultingVisit.objects.bulk_create(visits)
    return visits


@transaction.atomic
def workshop_complete(*, acting_user, workshop: Workshop) -> dict:
    """Mark a workshop as held, move attending enterprises to "in consulting" and plan their
    consulting visits for their consultant, else the workshop's lead trainer."""
    attending = workshop_mark_held(acting_user=acting_user, workshop=workshop)
    link = workshop.trainer_links.select_related("trainer").order_by("-is_lead").first()
    lead = link.trainer if link else None
    planned = []
    for enrolment in attending:
        planned += plan_visits(acting_user=acting_user, enrolment=enrolment,
                               after=workshop.end_date, default_trainer=lead)
    return {"enterprises": len(attending), "visits": len(planned)}
