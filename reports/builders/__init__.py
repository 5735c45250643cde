"""Builders turn the database into a plain context, one module per report kind."""

from .enterprise import build_enterprise
from .group import build_group
from .partner import build_partner
from .programme import build_programme
from .workshop import build_workshop

__all__ = [
    "build_enterprise",
    "build_group",
    "build_partner",
    "build_programme",
    "build_workshop",
    "build_for_run",
]


def build_for_run(run, progress=lambda percent: None) -> dict:
    """The context of a ReportRun's report (the language must already be active)."""
    common = {
        "period_from": run.period_from,
        "period_to": run.period_to,
        "language": run.language,
        "progress": progress,
    }
    if run.kind == "enterprise":
        return build_enterprise(enterprise_id=run.enterprise_id, **common)
    if run.kind == "group":
        return build_group(group_id=run.group_id, **common)
    if run.kind == "partner":
        return build_partner(partner_id=run.partner_id, **common)
    if run.kind == "programme":
        return build_programme(user=run.requested_by, **common)
    if run.kind == "workshop":
        return build_workshop(
            workshop_id=run.workshop_id,
            language=run.language,
            progress=progress,
            acting_user=run.requested_by,
        )
    raise ValueError(f"Reports of kind {run.kind!r} cannot be built yet.")
