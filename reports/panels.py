from reports.models import ReportRun
from score_portal.access import Perm, access_for
from score_portal.home import register_section


@register_section("workshop", order=30, template="reports/_section_workshop_pack.html")
def workshop_pack_section(request, workshop):
    """Staff and managers print the attendance sheet and the certificates."""
    if not access_for(request.user).has_perm(Perm.REPORTS, workshop.partner_id):
        return None
    return {"languages": ReportRun.Language.choices}


@register_section("group", order=10, template="reports/_section_group.html")
def group_figures_section(request, group):
    """The group's figures and its enterprises side by side, from the indicator register;
    staff and managers request the group report here."""
    from enterprises.selectors.groups import group_enterprises

    from .groups import (
        GROUP_CODES,
        compare_cells,
        compare_columns,
        figure_rows,
        group_comparison,
        group_figures,
    )

    enterprises = list(group_enterprises(request.user, group))
    rows = group_comparison(request.user, group, enterprises)
    return {
        "figures": figure_rows(group_figures(request.user, group), GROUP_CODES),
        "columns": compare_columns(),
        "rows": [{"enterprise": r["enterprise"], "cells": compare_cells(r)} for r in rows],
        "can_report": access_for(request.user).has_perm(Perm.REPORTS, group.partner_id),
        "languages": ReportRun.Language.choices,
        "group": group,
    }
