"""Writes for enterprise groups: create, edit, and put enterprises in (or out of) a group.

Each function takes ``acting_user`` first, requires ``Perm.CHANGE`` at the group's partner
(partner staff), validates with ``full_clean`` and saves through ``save_as`` so the history
row has its author."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from score_portal import events
from score_portal.access import Perm
from score_portal.models import Partner
from score_portal.services import assign, require, save_as

from ..models import Enterprise, EnterpriseGroup

GROUP_FIELDS = ("name", "name_zh", "code", "notes")


def _save_group(group: EnterpriseGroup, acting_user) -> None:
    group.full_clean()
    try:
        with transaction.atomic():
            save_as(group, acting_user)
    except IntegrityError:
        # two saves of the same name at once: the same message as the check before
        raise ValidationError(
            {"name": _("This partner already has a group with this name or code.")}
        ) from None


@transaction.atomic
def enterprise_group_create(*, acting_user, partner: Partner, **data) -> EnterpriseGroup:
    """Create a group of ``partner``'s enterprises."""
    require(acting_user, Perm.CHANGE, partner.pk)
    group = EnterpriseGroup(partner=partner)
    assign(group, data, GROUP_FIELDS)
    _save_group(group, acting_user)
    return group


@transaction.atomic
def enterprise_group_update(*, acting_user, group: EnterpriseGroup, **data) -> EnterpriseGroup:
    require(acting_user, Perm.CHANGE, group.partner_id)
    # what is stored (an edit form has already set its values on the instance it was given)
    group = EnterpriseGroup.objects.select_for_update().get(pk=group.pk)
    if assign(group, data, GROUP_FIELDS):  # saved (and in the history) only when changed
        _save_group(group, acting_user)
    return group


@transaction.atomic
def enterprise_group_assign(*, acting_user, group: EnterpriseGroup | None, enterprises) -> int:
    """Put ``enterprises`` in ``group`` (``None``: out of any group); returns how many
    changed. Every enterprise must be of the group's partner; each change is an enterprise
    history row by the acting user (and bumps its version, so an open edit form notices),
    and the changed ones are announced in one ``updated`` event call."""
    if group is not None:
        require(acting_user, Perm.CHANGE, group.partner_id)
    changed = []
    for enterprise in Enterprise.objects.filter(
        pk__in=[e.pk for e in enterprises]
    ).select_for_update():
        require(acting_user, Perm.CHANGE, enterprise.partner_id)
        if group is not None and enterprise.partner_id != group.partner_id:
            raise ValidationError(
                {
                    "group": _(
                        "%(name)s belongs to another partner than the group: a group holds "
                        "enterprises of its own partner only."
                    )
                    % {"name": enterprise.display_name}
                }
            )
        target = group.pk if group is not None else None
        if enterprise.group_id == target:
            continue
        enterprise.group = group
        enterprise.version += 1
        enterprise.full_clean()
        save_as(enterprise, acting_user)
        changed.append(enterprise)
    events.emit_many(events.UPDATED, changed)
    return len(changed)
