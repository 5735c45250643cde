"""The logframe spreadsheet: one partner's indicators over time, as donors read them
(indicator, unit, kind, baseline, then a target and an actual per period), written in the
active language through the portal's one safe XLSX writer."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from score_portal import spreadsheets
from score_portal.models import Partner

from ..indicators.definitions import PERCENT
from .actuals import Line, Period, period_label


def _number(line: Line, value):
    """A number a spreadsheet can sum; shares as fractions shown as percentages."""
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, int):
        return value
    return Decimal(value)


def _percent_format(decimals: int) -> str:
    return "0%" if not decimals else "0." + "0" * decimals + "%"


def logframe_xlsx(partner: Partner, periods: list[Period], lines: list[Line]) -> bytes:
    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = spreadsheets.sheet_title(_("Logframe"))
    spreadsheets.append(
        sheet,
        [_("Logframe: %(partner)s") % {"partner": partner.name}],
        bold=True,
    )
    header = [_("Indicator"), _("Unit"), _("Kind"), _("Baseline")]
    for period in periods:
        label = period_label(period)
        header += [
            _("%(period)s target") % {"period": label},
            _("%(period)s actual") % {"period": label},
        ]
    spreadsheets.append(sheet, header, bold=True)
    for line in lines:
        row = [
            line.label,
            line.indicator.unit_text(),
            line.kind_label,
            _number(line, line.baseline),
        ]
        for cell in line.cells:
            row += [_number(line, cell.goal), _number(line, cell.actual)]
        spreadsheets.append(sheet, row)
        if line.indicator.unit == PERCENT:
            shown = _percent_format(line.indicator.decimals)
            for column in range(4, len(row) + 1):
                sheet.cell(row=sheet.max_row, column=column).number_format = shown
    sheet.column_dimensions["A"].width = 48
    return spreadsheets.to_bytes(workbook)
