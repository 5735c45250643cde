"""Writes for people administration: partners (programme managers) and invitations (partner
managers and programme managers). Roles themselves go through ``memberships``."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .access import access_for
from .memberships import may_grant, membership_grant, partner_memberships_end
from .models import Partner, Profile, Role
from .services import assign, save_as

PARTNER_FIELDS = ("code", "name_en", "name_zh", "kind", "region")


def _require_programme(acting_user) -> None:
    if not access_for(acting_user).programme:
        raise PermissionDenied


@transaction.atomic
def partner_save(*, acting_user, partner: Partner | None = None, **data) -> Partner:
    """Create or edit an implementing partner (programme managers only)."""
    _require_programme(acting_user)
    partner = partner or Partner()
    assign(partner, data, PARTNER_FIELDS)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_deactivate(*, acting_user, partner: Partner) -> int:
    """Deactivate a partner and end every membership at it at once (the history keeps who
    held what, and who ended it). Its data stays. Returns how many memberships ended."""
    _require_programme(acting_user)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    partner.is_active = False
    partner.save(update_fields=["is_active"])
    return partner_memberships_end(acting_user=acting_user, partner=partner)


@transaction.atomic
def partner_reactivate(*, acting_user, partner: Partner) -> Partner:
    """Make a partner active again; nobody gets access back until invited again."""
    _require_programme(acting_user)
    partner.is_active = True
    partner.save(update_fields=["is_active"])
    return partner


@transaction.atomic
def person_invite(
    *,
    acting_user,
    partner: Partner,
    role: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
):
    """Give the person with ``email`` ``role`` at ``partner``. Somebody new gets a login
    without a password (they set it through the invitation link); returns ``(user, new)``.
    The answer is the same whether or not the address already had a login elsewhere."""
    if not may_grant(acting_user, role, partner):
        raise PermissionDenied
    user, new = _login_for(acting_user, email, first_name, last_name)
    membership_grant(acting_user=acting_user, user=user, partner=partner, role=role)
    return user, new


def _login_for(acting_user, email: str, first_name: str, last_name: str):
    """The login of ``email`` (made without a password when new), active again if it was
    deactivated (programme managers only). Returns ``(user, new)``."""
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    if not email:
        raise ValidationError({"email": _("Give an e-mail address.")})
    User = get_user_model()
    user = (
        User.objects.filter(email__iexact=email).order_by("pk").first()
        or User.objects.filter(username__iexact=email).first()
    )
    new = user is None
    if user is None:
        user = User(
            username=email, email=email, first_name=first_name.strip(), last_name=last_name.strip()
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif not user.is_active:
        if not access_for(acting_user).programme:
            raise ValidationError(
                {"email": _("This address cannot be invited. Ask the programme manager.")}
            )
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user, new


@transaction.atomic
def contact_invite(
    *, acting_user, enterprise=None, group=None, email: str, name: str = "", language: str = ""
):
    """Make the person with ``email`` the contact of ``enterprise``, or of ``group`` (an
    enterprise group: its "SCORE secretary", the contact of every enterprise of the group);
    partner staff and managers of its partner. Somebody new gets a login without a password
    and the language chosen for them; returns ``(user, new)``."""
    partner = (enterprise or group).partner
    if not may_grant(acting_user, Role.ENTERPRISE_CONTACT, partner):
        raise PermissionDenied
    if not partner.is_active:
        raise ValidationError({"email": _("This partner is not active.")})
    first, _space, last = name.strip().partition(" ")
    user, new = _login_for(acting_user, email, first, last)
    membership_grant(
        acting_user=acting_user,
        user=user,
        partner=partner,
        role=Role.ENTERPRISE_CONTACT,
        enterprise=enterprise,
        group=group,
    )
    if new and language:
        profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
        profile.language = language
        profile.full_clean()
        save_as(profile, acting_user)
    return user, new
