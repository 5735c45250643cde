"""What an enterprise's own contact submits from their portal: a month of worker
suggestions, an improvement project, a KPI reading. Every row is marked ``source =
enterprise`` ("submitted by the enterprise") and a KPI reading stays unverified until the
partner's staff verify it (``services.review.kpi_readings_verify``, which a contact can never
call: they hold no partner perm). Staff's own records are never overwritten from here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from score_portal import events
from score_portal.access import Perm, can
from score_portal.services import assign, save_as

from ..models import Enterprise, ImprovementProject, KPIReading, SuggestionCount
from ..models.enterprises import Source
from .enterprises import PROJECT_FIELDS
from .kpi import _check_baseline, _check_unusual

CONTACT_READING_FIELDS = ("kpi", "kind", "period_start", "period_end", "value", "note")


def _require_contact(acting_user, enterprise: Enterprise) -> None:
    if not can(acting_user, Perm.SUBMIT, enterprise):
        raise PermissionDenied


@transaction.atomic
def enterprise_suggestions_submit(
    *, acting_user, enterprise: Enterprise, month, made: int, implemented: int
) -> SuggestionCount:
    """Submit (or correct the enterprise's own submission of) one month's suggestions. A
    month the programme already recorded is refused."""
    _require_contact(acting_user, enterprise)
    month = month.replace(day=1)
    row = SuggestionCount.objects.select_for_update().filter(
        enterprise=enterprise, month=month
    ).first() or SuggestionCount(enterprise=enterprise, month=month, source=Source.ENTERPRISE)
    if row.source != Source.ENTERPRISE:
        raise ValidationError(
            {
                "month": _(
                    "The programme already recorded this month; ask your trainer to correct it."
                )
            }
        )
    row.made, row.implemented, row.recorded_by = made, implemented, acting_user
    row.full_clean()
    save_as(row, acting_user)
    return row


@transaction.atomic
def enterprise_project_submit(
    *, acting_user, enterprise: Enterprise, project: ImprovementProject | None = None, **data
) -> ImprovementProject:
    """Submit a new improvement project, or edit one the enterprise submitted."""
    _require_contact(acting_user, enterprise)
    if project is not None and (
        project.enterprise_id != enterprise.pk or project.source != Source.ENTERPRISE
    ):
        raise PermissionDenied
    project = project or ImprovementProject(enterprise=enterprise, source=Source.ENTERPRISE)
    assign(project, data, PROJECT_FIELDS)
    project.full_clean()
    save_as(project, acting_user)
    return project


@transaction.atomic
def enterprise_kpi_reading_submit(
    *,
    acting_user,
    enterprise: Enterprise,
    confirm_unusual: bool = False,
    unusual_reason: str = "",
    **data,
) -> KPIReading:
    """Submit a KPI reading: source "enterprise", unverified, with the same checks as a
    reading recorded by the programme (one baseline per KPI, unusual values confirmed)."""
    _require_contact(acting_user, enterprise)
    reading = KPIReading(
        enterprise=enterprise, recorded_by=acting_user, source=KPIReading.Source.ENTERPRISE
    )
    assign(reading, data, CONTACT_READING_FIELDS)
    if not reading.kpi.is_active:
        raise ValidationError({"kpi": _("This KPI is no longer in use.")})
    _check_baseline(reading)
    _check_unusual(reading, confirm_unusual, unusual_reason)
    reading.verified_at = reading.verified_by = None
    reading.full_clean()
    save_as(reading, acting_user)
    events.emit(events.CREATED, reading)
    return reading
