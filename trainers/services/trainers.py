"""Writes for trainer profiles and their logins (linking a login grants the trainer role
at the partners the acting user may change; removing a partner ends it)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for
from score_portal.memberships import membership_grant, trainer_memberships_end
from score_portal.models import Membership, Role
from score_portal.services import assign, save_as

from ..models import Trainer

TRAINER_FIELDS = (
    "name",
    "name_zh",
    "sex",
    "phone",
    "email",
    "city",
    "region",
    "organisation",
    "is_active",
    "bio",
)


def _require_change_for_all(user, partners) -> None:
    access = access_for(user)
    if not partners or not all(access.has_perm(Perm.CHANGE, p.pk) for p in partners):
        raise PermissionDenied


@transaction.atomic
def trainer_save(
    *, acting_user, trainer: Trainer | None = None, partners=None, login_username: str = "", **data
) -> tuple[Trainer, str | None]:
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
    was_active = bool(
        trainer is not None
        and trainer.pk
        and Trainer.objects.filter(pk=trainer.pk, is_active=True).exists()
    )
    trainer = trainer or Trainer()
    assign(trainer, data, TRAINER_FIELDS)
    trainer.full_clean(exclude=["partners"])
    save_as(trainer, acting_user)
    trainer.partners.set(new_partners)
    password = None
    managed = {p for p in new_partners if access.has_perm(Perm.CHANGE, p.pk)}
    login_username = (login_username or "").strip()
    linked = False
    if login_username and (trainer.user_id is None or login_username != trainer.user.username):
        password = _link_login(acting_user, trainer, login_username, new_partners)
        linked = True
    if trainer.user_id:
        user = trainer.user
        removed = current - new_partners
        if removed:
            trainer_memberships_end(acting_user=acting_user, user=user, partners=removed)
        if not trainer.is_active:
            trainer_memberships_end(
                acting_user=acting_user, user=user, partners=current | new_partners
            )
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
        reach = set(
            Membership.objects.filter(user_id=trainer.user_id).values_list("partner_id", flat=True)
        ) | {p.pk for p in partners}
        if None in reach or not all(access.has_perm(Perm.CHANGE, pid) for pid in reach):
            raise ValidationError(
                {
                    "login_username": _(
                        "Only someone who manages every partner this trainer and their login work "
                        "for can replace the login."
                    )
                }
            )
    user = User.objects.filter(username=username).first()
    password = None
    if user is None:
        password = secrets.token_urlsafe(9)
        user = User.objects.create_user(
            username=username, password=password, email=trainer.email, first_name=trainer.name
        )
    elif not _linkable(access, user, trainer):
        raise ValidationError(
            {
                "login_username": _(
                    "This username cannot be used for this trainer. Choose another one."
                )
            }
        )
    old_user = trainer.user if trainer.user_id else None
    trainer.user = user
    save_as(trainer, acting_user, update_fields=["user"])
    if old_user is not None:
        trainer_memberships_end(acting_user=acting_user, user=old_user, partners=partners)
    return password


def _linkable(access, user, trainer: Trainer) -> bool:
    if not user.is_active or user.is_staff or user.is_superuser:
        return False
    if Trainer.objects.filter(user=user).exclude(pk=trainer.pk).exists():
        return False
    return all(
        role == Role.TRAINER and partner_id is not None and access.has_perm(Perm.CHANGE, partner_id)
        for partner_id, role in Membership.objects.filter(user=user).values_list(
            "partner_id", "role"
        )
    )


def _grant_trainer_role(acting_user, user, partners) -> None:
    """The trainer role at each of ``partners`` where the login has no role yet (another
    role it already holds there is left as it is)."""
    if not user.is_active:
        return
    held = set(Membership.objects.filter(user=user).values_list("partner_id", flat=True))
    for partner in partners:
        if partner.pk not in held and partner.is_active:
            membership_grant(
                acting_user=acting_user,
                user=user,
                partner=partner,
                role=Role.TRAINER,
                via_trainer=True,
            )
