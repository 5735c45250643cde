"""Enterprise group report for a period: the group's figures from the indicator register
(narrowed to its enterprises), its enterprises by module and status, their projects and
savings, EIT and suggestions, and the comparison of its enterprises (one row each)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from enterprises.models import Enrolment, EnterpriseGroup

from ..groups import (
    COMPARE_CODES,
    GROUP_CODES,
    compare_cells,
    compare_columns,
    figure_rows,
    group_comparison,
    group_enterprise_ids,
    group_figures,
)
from .base import header, section, table
from .partner import _eit, _modules, _projects
from .scope import Scope


def build_group(
    *,
    group_id: int,
    period_from: date | None = None,
    period_to: date | None = None,
    language: str = "en",
    progress=lambda percent: None,
) -> dict:
    group = EnterpriseGroup.objects.select_related("partner").get(pk=group_id)
    scope = Scope(
        [group.partner_id], period_from, period_to, enterprise_ids=group_enterprise_ids(group)
    )
    context = header(
        kind="group",
        title=_("Enterprise group report"),
        scope_name=f"{group.display_name} · {group.partner.name}",
        period_from=period_from,
        period_to=period_to,
        language=language,
    )
    # user=None: requested by someone holding Perm.REPORTS at the group's partner, or by the
    # group's contact (every enterprise of the group is theirs)
    values = group_figures(None, group, period_from=period_from, period_to=period_to)
    data: dict = {"group": group.name, "indicators": values}
    sections = [_modules(scope, data)]
    progress(25)
    sections.append(_projects(scope, data))
    progress(40)
    sections.append(_eit(scope, data))
    progress(50)
    sections.append(_comparison(group, scope, data, period_from, period_to))
    progress(70)
    context["data"] = data
    context["sections"] = sections
    context["figures"] = figure_rows(values, GROUP_CODES)
    context["figures_note"] = _(
        "Figures of the period over the group's enterprises: enterprises reached in the "
        "period (an enrolment meeting it) and what they did in it, as the indicator register "
        "defines each figure."
    )
    return context


def _comparison(group, scope: Scope, data: dict, period_from, period_to) -> dict:
    enterprises = list(group.enterprises.order_by("name", "pk"))
    rows = group_comparison(None, group, enterprises, period_from=period_from, period_to=period_to)
    done = Enrolment.Status.COMPLETED
    modules: dict[int, list[str]] = {}
    for enterprise_id, code in (
        scope.enrolments.filter(status=done)
        .order_by("module__order")
        .values_list("enterprise_id", "module__code")
    ):
        modules.setdefault(enterprise_id, []).append(code)
    table_rows = [
        [
            row["enterprise"].display_name,
            row["enterprise"].get_status_display(),
            ", ".join(modules.get(row["enterprise"].pk, [])) or "–",
            *compare_cells(row),
        ]
        for row in rows
    ]
    data["comparison"] = {
        row["enterprise"].name: {code: row["values"][code] for code in COMPARE_CODES}
        for row in rows
    }
    return section(
        key="comparison",
        title=_("The group's enterprises compared"),
        tables=[
            table(
                title="",
                columns=[_("Enterprise"), _("Status"), _("Modules done"), *compare_columns()],
                rows=table_rows,
                numeric=set(range(3, 3 + len(COMPARE_CODES))),
                empty=_("No enterprises in this group yet."),
            )
        ],
    )
