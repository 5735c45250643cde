"""Who may see and change what. Every view and selector asks here.

* Out of scope → 404 (never reveal that an object exists); in scope but not allowed → 403.
* Scoping follows each model's ``PARTNER_PATH`` (the lookup from the model to its partner id,
  for example ``"enterprise__partner"``). A model that belongs to several partners (a trainer)
  defines ``partner_q(partner_ids)`` (a classmethod returning a ``Q``) and ``partner_ids()``
  (the ids of one object).
* A model that trainers may see declares ``TRAINER_PATH``: a lookup (or a tuple of lookups,
  any one of which suffices) from the model to the trainer's user, through reverse relations
  where needed, for example ``"enrolments__assignments__trainer__user"``. ``EVERY`` (``"*"``)
  means every object of the partners the user works for as a trainer. Either way a trainer
  sees only objects of the partners where they hold the trainer role. The lower models name
  the higher app's relations only as data; this module builds the query (``trainer_q``).
* An enterprise contact (``Role.ENTERPRISE_CONTACT``, a membership bound to one enterprise,
  or to an enterprise group: a group contact speaks for every enterprise of the group)
  holds none of the partner perms: every existing view and selector shows them nothing, and
  their refusals are 404 (``ContactNotFoundMiddleware``). They hold only ``CONTACT_PERMS``,
  and only over models that declare ``ENTERPRISE_PATH``: the lookup from the model to its
  enterprise's id (``"id"`` on the enterprise, ``"enterprise"``, ``"enrolment__enterprise"``;
  a path through a to-many relation becomes an ``Exists``). A model without one shows a
  contact nothing, whatever the perm.
* A group contact also reaches what belongs to the group itself rather than to one of its
  enterprises (the group, the group's report), through the model's ``GROUP_PATH``: the
  lookup from the model to its enterprise group's id (``"id"`` on the group, ``"group"``).
  The group's enterprises are already among their ``enterprise_ids``; ``GROUP_PATH`` is
  only for objects no ``ENTERPRISE_PATH`` reaches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Membership, Partner, Role

EVERY = "*"  # TRAINER_PATH of objects every trainer of the partner sees


M = TypeVar("M", bound=Model)


class Perm:
    VIEW = "view"  # read the partner's data (trainers: only what is assigned to them)
    CHANGE = "change"  # create and edit the partner's enterprises, enrolments, workshops
    VERIFY = "verify"  # verify KPI readings
    RECORD = "record"  # record visits, attendance and KPI readings
    REPORTS = "reports"  # request and download reports
    MANAGE_CATALOGUE = "manage_catalogue"  # modules, KPI definitions
    MANAGE_TARGETS = "manage_targets"
    OVERRIDE = "override"  # override programme rules with a reason
    MANAGE_PEOPLE = "manage_people"  # invite people, change roles, deactivate (memberships.py)
    MANAGE_WEBHOOKS = "manage_webhooks"  # register webhook endpoints, send deliveries again
    INVITE_CONTACT = "invite_contact"  # invite an enterprise's contact (partner staff, managers)
    # an enterprise contact's own perms, over their one enterprise (ENTERPRISE_PATH)
    ENTERPRISE = "enterprise"  # read their enterprise's portal
    SUBMIT = "submit"  # submit their enterprise's figures (unverified, source = enterprise)


CONTACT_PERMS = frozenset({Perm.ENTERPRISE, Perm.SUBMIT})


ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.PROGRAMME_MANAGER: frozenset(
        {
            Perm.VIEW,
            Perm.REPORTS,
            Perm.MANAGE_CATALOGUE,
            Perm.MANAGE_TARGETS,
            Perm.OVERRIDE,
            Perm.MANAGE_PEOPLE,
            Perm.MANAGE_WEBHOOKS,
        }
    ),
    Role.PARTNER_MANAGER: frozenset(
        {Perm.VIEW, Perm.REPORTS, Perm.MANAGE_PEOPLE, Perm.MANAGE_WEBHOOKS, Perm.INVITE_CONTACT}
    ),
    Role.PARTNER_STAFF: frozenset(
        {Perm.VIEW, Perm.CHANGE, Perm.VERIFY, Perm.RECORD, Perm.REPORTS, Perm.INVITE_CONTACT}
    ),
    Role.TRAINER: frozenset({Perm.VIEW, Perm.RECORD}),
    # nothing of the partner's: only their enterprise, through ENTERPRISE_PATH
    Role.ENTERPRISE_CONTACT: CONTACT_PERMS,
}


@dataclass(frozen=True)
class Access:
    """What one user holds; computed once per user object."""

    user_id: int | None
    programme: bool = False
    roles_by_partner: dict[int, str] = field(default_factory=dict)  # contacts never here
    enterprise_ids: frozenset[int] = frozenset()  # the enterprises they are the contact of
    group_ids: frozenset[int] = frozenset()  # the groups they are the contact of

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def roles(self) -> set[str]:
        roles = set(self.roles_by_partner.values())
        if self.programme:
            roles.add(Role.PROGRAMME_MANAGER)
        if self.is_contact:
            roles.add(Role.ENTERPRISE_CONTACT)
        return roles

    @property
    def is_contact(self) -> bool:
        """Holds the contact role (of an enterprise, or of a group, even one still empty)."""
        return bool(self.enterprise_ids or self.group_ids)

    @property
    def primary_role(self) -> str | None:
        for role in Role.values:  # ordered from widest to narrowest
            if role in self.roles:
                return role
        return None

    @property
    def partner_ids(self) -> frozenset[int]:
        return frozenset(self.roles_by_partner)

    @property
    def is_trainer(self) -> bool:
        return Role.TRAINER in self.roles_by_partner.values()

    @property
    def is_contact_only(self) -> bool:
        """An enterprise contact and nothing else: every refusal is a 404 for them."""
        return self.is_contact and not self.roles_by_partner and not self.programme

    def partner_ids_with(self, perm: str, *, trainer: bool | None = None) -> frozenset[int]:
        """Partners for which the user holds ``perm``; ``trainer`` narrows by role kind."""
        return frozenset(
            pid
            for pid, role in self.roles_by_partner.items()
            if perm in ROLE_PERMS[role] and (trainer is None or (role == Role.TRAINER) == trainer)
        )

    def has_perm(self, perm: str, partner_id: int | None = None) -> bool:
        if self.programme and perm in ROLE_PERMS[Role.PROGRAMME_MANAGER]:
            return True
        if partner_id is None:
            if perm in CONTACT_PERMS and self.is_contact:
                return True
            return any(perm in ROLE_PERMS[role] for role in self.roles_by_partner.values())
        role = self.roles_by_partner.get(partner_id)
        return role is not None and perm in ROLE_PERMS[role]

    @property
    def manages_webhooks(self) -> bool:
        return self.has_perm(Perm.MANAGE_WEBHOOKS)

    def sees_all(self, perm: str = Perm.VIEW) -> bool:
        return self.programme and perm in ROLE_PERMS[Role.PROGRAMME_MANAGER]


ANONYMOUS = Access(user_id=None)


def access_for(user) -> Access:
    """The user's roles, read with one query and cached on the user object."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_score_access", None)
    if cached is not None:
        return cached
    programme = False
    roles: dict[int, str] = {}
    enterprises: set[int] = set()
    groups: set[int] = set()
    # A group contact's membership comes back once per enterprise of the group (the join),
    # so the group's enterprises are read as they are now, in the same query. Only those of
    # the membership's partner count (a group is one partner's).
    for (
        partner_id,
        role,
        enterprise_id,
        group_id,
        member_id,
        member_partner,
    ) in Membership.objects.filter(user=user).values_list(
        "partner_id",
        "role",
        "enterprise_id",
        "group_id",
        "group__enterprises__id",
        "group__enterprises__partner_id",
    ):
        if partner_id is None:
            programme = role == Role.PROGRAMME_MANAGER
        elif role == Role.ENTERPRISE_CONTACT:
            if enterprise_id is not None:
                enterprises.add(enterprise_id)
            if group_id is not None:
                groups.add(group_id)
                if member_id is not None and member_partner == partner_id:
                    enterprises.add(member_id)
        else:
            roles[partner_id] = role
    access = Access(
        user_id=user.pk,
        programme=programme,
        roles_by_partner=roles,
        enterprise_ids=frozenset(enterprises),
        group_ids=frozenset(groups),
    )
    user._score_access = access
    return access


def scope(user, queryset: QuerySet, perm: str = Perm.VIEW) -> QuerySet:
    """The part of ``queryset`` the user may see (or act on with ``perm``)."""
    access = access_for(user)
    if access.sees_all(perm):
        return queryset
    model = queryset.model
    q = _partner_q(model, access.partner_ids_with(perm, trainer=False))
    trainer_partners = access.partner_ids_with(perm, trainer=True)
    if trainer_partners and getattr(model, "TRAINER_PATH", None):
        assert access.user_id is not None  # only signed-in users hold roles
        q |= trainer_q(model, access.user_id, trainer_partners)
    if perm in CONTACT_PERMS:
        if access.enterprise_ids:
            q |= enterprise_q(model, access.enterprise_ids)
        if access.group_ids:
            q |= group_q(model, access.group_ids)
    return queryset.filter(q)


def enterprise_q(model, enterprise_ids) -> Q:
    """What a contact of ``enterprise_ids`` sees of ``model``, from its ``ENTERPRISE_PATH``;
    nothing when the model declares none (deny by default)."""
    return _declared_path_q(model, "ENTERPRISE_PATH", enterprise_ids)


def group_q(model, group_ids) -> Q:
    """What a contact of the groups ``group_ids`` sees of ``model`` that belongs to a group
    (``GROUP_PATH``); nothing when the model declares none (deny by default)."""
    return _declared_path_q(model, "GROUP_PATH", group_ids)


def _declared_path_q(model, declared: str, ids) -> Q:
    path = getattr(model, declared, None)
    if not path or not ids:
        return Q(pk__in=[])
    lookup = {f"{path}__in": list(ids)}
    if _many_valued(model, path):
        return Q(Exists(model._base_manager.filter(pk=OuterRef("pk"), **lookup)))
    return Q(**lookup)


def enterprise_id_of(obj: Model) -> int | None:
    """Follow ``ENTERPRISE_PATH`` (to-one paths only) from an object to its enterprise's id."""
    path = getattr(type(obj), "ENTERPRISE_PATH", None)
    if not path or _many_valued(type(obj), path):
        return None
    *steps, last = path.split("__")
    for step in steps:
        obj = getattr(obj, step)
        if obj is None:
            return None
    return obj.pk if last in {"id", "pk"} else getattr(obj, f"{last}_id")


def _partner_q(model, partner_ids) -> Q:
    partner_q = getattr(model, "partner_q", None)  # models that belong to several partners
    return partner_q(partner_ids) if partner_q else Q(**{f"{model.PARTNER_PATH}__in": partner_ids})


def _many_valued(model, path: str) -> bool:
    """Whether the lookup crosses a to-many relation (a join there would repeat rows)."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a lookup such as ``__in``: the path ends here
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def trainer_q(model, user_id: int, partner_ids) -> Q:
    """What a trainer (``user_id``) sees of ``model`` at ``partner_ids``, from its
    ``TRAINER_PATH``. A path through a to-many relation becomes an ``Exists`` subquery, so
    an object reached through several assignments is still listed once."""
    paths = model.TRAINER_PATH
    paths = (paths,) if isinstance(paths, str) else tuple(paths)
    partner_q = _partner_q(model, partner_ids)
    if EVERY in paths:
        return partner_q
    reach = Q()
    for path in paths:
        if _many_valued(model, path):
            reach |= Q(Exists(model._base_manager.filter(pk=OuterRef("pk"), **{path: user_id})))
        else:
            reach |= Q(**{path: user_id})
    return partner_q & reach


def partner_id_of(obj: Model) -> int:
    """Follow ``PARTNER_PATH`` from an object to its partner's id."""
    *steps, last = type(obj).PARTNER_PATH.split("__")  # type: ignore[attr-defined]
    for step in steps:
        obj = getattr(obj, step)
    return obj.pk if last in {"id", "pk"} else getattr(obj, f"{last}_id")


def can(user, perm: str, obj: Model) -> bool:
    access = access_for(user)
    if perm in CONTACT_PERMS:
        return access.is_contact and (
            enterprise_id_of(obj) in access.enterprise_ids
            or scope(user, type(obj)._base_manager.filter(pk=obj.pk), perm).exists()
        )
    several = getattr(obj, "partner_ids", None)  # models that belong to several partners
    if several is not None:
        return any(access.has_perm(perm, pid) for pid in several()) or access.sees_all(perm)
    return access.has_perm(perm, partner_id_of(obj))


def get_for_user(user, queryset: QuerySet[M], perm: str = Perm.VIEW, **lookup) -> M:
    """Fetch one object for this user: 404 when out of scope, 403 when ``perm`` is missing.
    A contact's perms (``CONTACT_PERMS``) are their scope too: a contact sees nothing with
    ``Perm.VIEW``."""
    seen_with = perm if perm in CONTACT_PERMS else Perm.VIEW
    obj = get_object_or_404(scope(user, queryset, seen_with), **lookup)
    if perm != Perm.VIEW and not can(user, perm, obj):
        raise PermissionDenied
    return obj


def partners_for(user, perm: str = Perm.VIEW) -> QuerySet:
    return scope(user, Partner.objects.all(), perm)


def require_perm(perm: str):
    """View decorator: login required, then 403 unless the user holds ``perm`` somewhere."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not access_for(request.user).has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm
        return wrapped

    return decorator


def people_with_role(role: str, partner_ids) -> QuerySet:
    """The active people holding ``role`` at any of ``partner_ids`` (each once, by id): the
    managers a partner's reports go to, the staff its reminders go to."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__partner_id__in=list(partner_ids),
            memberships__role=role,
        )
        .distinct()
        .order_by("pk")
    )


def partner_ids_where(user, role: str) -> frozenset[int]:
    """The partners where ``user`` holds ``role``."""
    return frozenset(
        Membership.objects.filter(user=user, role=role, partner__isnull=False).values_list(
            "partner_id", flat=True
        )
    )
