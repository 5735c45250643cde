"""Writes for enterprises and what their Enterprise Improvement Team achieves.

Every function takes ``acting_user`` first, checks the user's permission for the enterprise's
partner, validates with ``full_clean`` and runs in one transaction. History rows are written
by django-simple-history with the acting user as the author.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from score_portal import events
from score_portal.access import Perm
from score_portal.models import Partner
from score_portal.services import StaleEditError, assign, delete_as, require, save_as

from ..models import (
    CREDIT_CODE_TAKEN,
    MANUAL_STATUSES,
    EITMember,
    Enrolment,
    Enterprise,
    ImprovementProject,
    SuggestionCount,
    enterprise_status_for,
)
from ..validators import uscc_check_only_fails

ENTERPRISE_FIELDS = (
    "name",
    "name_zh",
    "credit_code",
    "sector",
    "province",
    "city",
    "address",
    "employees_total",
    "employees_women",
    "year_founded",
    "ownership",
    "group",
    "lead_buyer",
    "contact_person",
    "phone",
    "email",
    "status",
    "notes",
)
EIT_FIELDS = ("name", "role", "level", "sex", "department", "active_from", "active_to")
PROJECT_FIELDS = (
    "title",
    "module",
    "status",
    "start_date",
    "end_date",
    "estimated_saving",
    "realised_saving",
    "currency",
    "description",
)


def _save(instance, acting_user) -> None:
    instance.full_clean()
    save_as(instance, acting_user)


def _save_enterprise(
    enterprise: Enterprise, acting_user, override_reason: str = "", override_by=None
) -> None:
    """Save; a credit code taken by a save that committed after ``full_clean`` looked (two
    at once) gets the same message as one taken before, not a database error.

    ``override_reason``: a credit code whose only fault is its check character (codes
    issued before GB 32100-2015) is accepted when ``override_by`` (default: the acting user)
    may override programme rules (a programme manager), with the reason kept in the
    history row."""
    override_reason = (override_reason or "").strip()
    try:
        with transaction.atomic():
            if override_reason and uscc_check_only_fails(enterprise.credit_code or ""):
                require(override_by or acting_user, Perm.OVERRIDE, enterprise.partner_id)
                enterprise.full_clean(exclude=["credit_code"])
                enterprise._change_reason = override_reason[:100]  # type: ignore[attr-defined]
                save_as(enterprise, acting_user)
            else:
                _save(enterprise, acting_user)
    except IntegrityError:
        if (
            enterprise.credit_code
            and Enterprise.objects.filter(credit_code=enterprise.credit_code)
            .exclude(pk=enterprise.pk)
            .exists()
        ):
            raise ValidationError({"credit_code": CREDIT_CODE_TAKEN}) from None
        raise


def status_error(enterprise: Enterprise, status: str) -> str | None:
    """Why ``status`` cannot be given by hand to this enterprise (None when it can): the
    status follows the enrolments (``enterprise_status_for``); only an enterprise without
    enrolments takes a status by hand, prospect or withdrawn."""
    statuses = (
        list(Enrolment.objects.filter(enterprise=enterprise).values_list("status", flat=True))
        if enterprise.pk
        else []
    )
    if enterprise_status_for(statuses, status) == status:
        return None
    if statuses:
        return _(
            "The status follows the enrolments: change the enrolment (enrol, complete or "
            "withdraw it) and the enterprise's status follows."
        )
    return _(
        "An enterprise without enrolments is a prospect or withdrawn: it becomes active "
        "when it is enrolled in a module."
    )


@transaction.atomic
def enterprise_create(
    *,
    acting_user,
    partner: Partner,
    credit_code_override: str = "",
    credit_code_override_by=None,
    **data,
) -> Enterprise:
    """Create an enterprise. Its status follows its enrolments (it has none yet): a prospect,
    or withdrawn if given so; any other status given (an import's column) is a prospect
    until its first enrolment."""
    require(acting_user, Perm.CHANGE, partner.pk)
    enterprise = Enterprise(partner=partner)
    assign(enterprise, data, ENTERPRISE_FIELDS)
    enterprise.status = enterprise_status_for([], enterprise.status)
    _save_enterprise(enterprise, acting_user, credit_code_override, credit_code_override_by)
    events.emit(events.CREATED, enterprise)
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    acting_user,
    enterprise: Enterprise,
    version: int | None = None,
    credit_code_override: str = "",
    credit_code_override_by=None,
    **data,
) -> Enterprise:
    """Update an enterprise. With ``version`` (the one the form was opened with) a save that
    would overwrite someone else's newer save raises ``StaleEditError`` instead."""
    require(acting_user, Perm.CHANGE, enterprise.partner_id)
    current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if version is not None and current.version != version:
        raise StaleEditError()
    if "status" in data and data["status"] != current.status:
        error = status_error(current, data["status"])
        if error:
            raise ValidationError({"status": error})
    if not assign(current, data, ENTERPRISE_FIELDS) and not credit_code_override:
        return current  # nothing changed: no save, no history row, no "updated" webhook
    current.version += 1
    _save_enterprise(current, acting_user, credit_code_override, credit_code_override_by)
    events.emit(events.UPDATED, current)
    return current


@transaction.atomic
def enterprise_set_status(*, acting_user, enterprises, status: str) -> int:
    """Set the status of several enterprises by hand (a bulk action): prospect or withdrawn,
    for those without enrolments (the others' status follows their enrolments and is left
    as it is); returns how many changed, announced in one ``updated`` event call."""
    if status not in MANUAL_STATUSES:
        raise ValidationError({"status": _("Choose prospect or withdrawn.")})
    with_enrolments = set(
        Enrolment.objects.filter(enterprise__in=enterprises).values_list("enterprise_id", flat=True)
    )
    changed = []
    for enterprise in enterprises.select_for_update():
        require(acting_user, Perm.CHANGE, enterprise.partner_id)
        if enterprise.pk in with_enrolments:
            continue
        if enterprise.status != status:
            enterprise.status = status
            enterprise.version += 1
            _save(enterprise, acting_user)
            changed.append(enterprise)
    events.emit_many(events.UPDATED, changed)
    return len(changed)


@transaction.atomic
def eit_member_save(
    *, acting_user, enterprise: Enterprise, member: EITMember | None = None, **data
) -> EITMember:
    require(acting_user, Perm.CHANGE, enterprise.partner_id)
    member = member or EITMember(enterprise=enterprise)
    assign(member, data, EIT_FIELDS)
    _save(member, acting_user)
    return member


@transaction.atomic
def eit_member_delete(*, acting_user, member: EITMember) -> None:
    require(acting_user, Perm.CHANGE, member.enterprise.partner_id)
    delete_as(member, acting_user)


@transaction.atomic
def project_save(
    *, acting_user, enterprise: Enterprise, project: ImprovementProject | None = None, **data
) -> ImprovementProject:
    require(acting_user, Perm.CHANGE, enterprise.partner_id)
    project = project or ImprovementProject(enterprise=enterprise)
    assign(project, data, PROJECT_FIELDS)
    _save(project, acting_user)
    return project


@transaction.atomic
def suggestions_record(
    *, acting_user, enterprise: Enterprise, month, made: int, implemented: int
) -> SuggestionCount:
    """Record (or correct) one month's suggestion counts."""
    require(acting_user, Perm.CHANGE, enterprise.partner_id)
    month = month.replace(day=1)
    row = SuggestionCount.objects.select_for_update().filter(
        enterprise=enterprise, month=month
    ).first() or SuggestionCount(enterprise=enterprise, month=month)
    row.made, row.implemented, row.recorded_by = made, implemented, acting_user
    _save(row, acting_user)
    return row
