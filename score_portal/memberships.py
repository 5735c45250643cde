"""The one place that grants, changes and ends access (``Membership`` rows).

Who may grant which role, and where:

* a programme manager: any role at any partner (and the programme role);
* a partner manager: partner staff and trainer at the partners they manage;
* partner staff: only the trainer role, at partners they may change, and only by linking a
  login to a trainer (``via_trainer=True``, which only ``trainers.services`` passes);
* partner staff and partner managers: the enterprise contact role, for one enterprise of
  their partner (``enterprise=``), from the enterprise's page.

Ending or changing a membership needs the same right as granting its role there. Every row
written here keeps its history with the acting user as author (``save_as``), so every
grant and revocation can be traced, inside or outside a request.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .access import Perm, access_for
from .models import Membership, Partner, Role
from .services import delete_as, save_as

PARTNER_MANAGER_GRANTS = frozenset({Role.PARTNER_STAFF, Role.TRAINER})


def may_grant(
    acting_user, role: str, partner: Partner | None, *, via_trainer: bool = False
) -> bool:
    """May ``acting_user`` give (or end, or change) ``role`` at ``partner``?"""
    access = access_for(acting_user)
    if access.programme:
        return True
    if role == Role.PROGRAMME_MANAGER or partner is None:
        return False
    held = access.roles_by_partner.get(partner.pk)
    if role == Role.ENTERPRISE_CONTACT:
        return access.has_perm(Perm.INVITE_CONTACT, partner.pk)
    if held == Role.PARTNER_MANAGER and role in PARTNER_MANAGER_GRANTS:
        return True
    return role == Role.TRAINER and via_trainer and access.has_perm(Perm.CHANGE, partner.pk)


def grantable_roles(acting_user, partner: Partner | None) -> list[str]:
    """The roles ``acting_user`` may give at ``partner`` (for forms), widest first."""
    return [
        role
        for role in Role.values
        # contacts are invited from their enterprise's page, for that enterprise
        if role not in {Role.PROGRAMME_MANAGER, Role.ENTERPRISE_CONTACT}
        and may_grant(acting_user, role, partner)
    ]


def _require_grant(acting_user, role, partner, via_trainer=False) -> None:
    if not may_grant(acting_user, role, partner, via_trainer=via_trainer):
        raise PermissionDenied


def _save(membership: Membership, acting_user) -> Membership:
    membership.full_clean()
    return save_as(membership, acting_user)


@transaction.atomic
def membership_grant(
    *,
    acting_user,
    user,
    partner: Partner | None,
    role: str,
    via_trainer: bool = False,
    enterprise=None,
    group=None,
) -> Membership:
    """Give ``user`` ``role`` at ``partner`` (``None`` for the programme role). Granting the
    role the user already holds there changes nothing; holding another role there is an
    error (change the role instead). The enterprise contact role needs ``enterprise`` or
    ``group`` (an enterprise group: the contact of all its enterprises); its partner is the
    membership's partner."""
    if role == Role.PROGRAMME_MANAGER:
        partner = None
    if role == Role.ENTERPRISE_CONTACT:
        if (enterprise is None) == (group is None):
            raise ValidationError(
                {"enterprise": _("An enterprise contact needs an enterprise or a group.")}
            )
        partner = (enterprise or group).partner
    elif enterprise is not None or group is not None:
        raise ValidationError({"enterprise": _("Only an enterprise contact has an enterprise.")})
    _require_grant(acting_user, role, partner, via_trainer)
    if partner is not None and not partner.is_active:
        raise ValidationError({"partner": _("This partner is not active.")})
    if not user.is_active:
        raise ValidationError(_("This person is deactivated."))
    existing = Membership.objects.select_for_update().filter(user=user, partner=partner).first()
    if existing is not None:
        if (
            existing.role == role
            and existing.enterprise_id == getattr(enterprise, "pk", None)
            and existing.group_id == getattr(group, "pk", None)
        ):
            return existing
        raise ValidationError(
            {"role": _("This person already has a role at this partner; change that role instead.")}
        )
    return _save(
        Membership(user=user, partner=partner, role=role, enterprise=enterprise, group=group),
        acting_user,
    )


@transaction.atomic
def membership_change_role(*, acting_user, membership: Membership, role: str) -> Membership:
    """Change the role a membership gives at its partner; the acting user must be able to
    grant both the old and the new role there. Nobody changes their own role."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id == acting_user.pk:
        raise PermissionDenied
    if role == Role.PROGRAMME_MANAGER or membership.partner_id is None:
        raise PermissionDenied
    # a contact's role is bound to an enterprise: end it and invite again instead
    if Role.ENTERPRISE_CONTACT in {role, membership.role}:
        raise PermissionDenied
    _require_grant(acting_user, membership.role, membership.partner)
    _require_grant(acting_user, role, membership.partner)
    if membership.role == role:
        return membership
    membership.role = role
    return _save(membership, acting_user)


@transaction.atomic
def membership_revoke(*, acting_user, membership: Membership, via_trainer: bool = False) -> None:
    """End a membership at once (its history keeps who ended it and when)."""
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        return
    if locked.user_id == acting_user.pk:
        raise PermissionDenied
    _require_grant(acting_user, locked.role, locked.partner, via_trainer)
    delete_as(locked, acting_user)


@transaction.atomic
def trainer_memberships_end(*, acting_user, user, partners) -> int:
    """End ``user``'s trainer-role memberships at ``partners``. Called when a trainer the
    acting user may change is deactivated or stops serving a partner: ending a trainer's
    own access never widens anyone's, so it is allowed at every partner the trainer served.
    Other roles the login holds are left alone. Returns how many were ended."""
    ended = 0
    for membership in Membership.objects.select_for_update().filter(
        user=user, role=Role.TRAINER, partner__in=list(partners)
    ):
        delete_as(membership, acting_user)
        ended += 1
    return ended


@transaction.atomic
def person_deactivate(*, acting_user, user) -> int:
    """End every membership of ``user`` the acting user may end, at once. When no other
    membership is left the login itself is deactivated (a programme manager may always do
    so). Returns how many memberships were ended; 403 when the acting user may end none."""
    if user.pk == acting_user.pk:
        raise PermissionDenied
    memberships = list(
        Membership.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(user=user)
    )
    mine = [m for m in memberships if may_grant(acting_user, m.role, m.partner)]
    programme = access_for(acting_user).programme
    if not mine and not (programme and not memberships):
        raise PermissionDenied
    for membership in mine:
        delete_as(membership, acting_user)
    if len(mine) == len(memberships) and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return len(mine)


@transaction.atomic
def partner_memberships_end(*, acting_user, partner: Partner) -> int:
    """End every membership at ``partner`` (when a programme manager deactivates it)."""
    if not access_for(acting_user).programme:
        raise PermissionDenied
    ended = 0
    for membership in Membership.objects.select_for_update().filter(partner=partner):
        delete_as(membership, acting_user)
        ended += 1
    return ended
