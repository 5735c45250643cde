"""What every builder shares: the period filter, the title block, tables and sections.

A builder returns a plain ``dict`` (numbers, strings, lists, dicts; never model instances):
``data`` holds the figures tests check, ``sections`` the tables and charts that the PDF
template and the spreadsheet both render. A section that needs data which does not exist yet
(workshops, visits, KPIs) is simply not built.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from score_portal.formatting import format_percent

from ..indicators.periods import in_period, overlaps  # noqa: F401 (the rules' one home)


def period_label(period_from: date | None, period_to: date | None) -> str:
    if period_from and period_to:
        return _("%(start)s to %(end)s") % {
            "start": date_format(period_from),
            "end": date_format(period_to),
        }
    if period_from:
        return _("since %(start)s") % {"start": date_format(period_from)}
    if period_to:
        return _("until %(end)s") % {"end": date_format(period_to)}
    return _("all time")


def header(
    *, kind: str, title: str, scope_name: str, period_from, period_to, language: str
) -> dict:
    return {
        "kind": kind,
        "title": title,
        "scope_name": scope_name,
        "period_from": period_from.isoformat() if period_from else "",
        "period_to": period_to.isoformat() if period_to else "",
        "period_label": period_label(period_from, period_to),
        "generated_on": date_format(timezone.localdate()),
        "language": language,
    }


def table(
    *,
    title: str,
    columns: list[str],
    rows: list[list],
    numeric: set[int] = frozenset(),
    totals: list | None = None,
    empty: str = "",
    pdf_limit: int | None = None,
) -> dict:
    """A table for the PDF and the spreadsheet; ``numeric`` lists right-aligned columns.
    ``pdf_limit`` caps the rows printed in the PDF (the spreadsheet keeps them all): a table
    of thousands of rows is unreadable on paper and would take minutes to lay out."""
    pdf_rows = rows[:pdf_limit] if pdf_limit else rows
    return {
        "title": title,
        "columns": columns,
        "rows": rows,
        "pdf_rows": pdf_rows,
        "totals": totals,
        "numeric": [index in numeric for index in range(len(columns))],
        "empty": empty or _("Nothing recorded."),
        "truncated": (
            _("The first %(shown)s of %(total)s rows; the spreadsheet has all of them.")
            % {"shown": len(pdf_rows), "total": len(rows)}
            if len(pdf_rows) < len(rows)
            else ""
        ),
    }


def section(
    *,
    key: str,
    title: str,
    tables: list[dict] | None = None,
    charts: list[dict] | None = None,
    note: str = "",
) -> dict:
    return {
        "key": key,
        "title": title,
        "tables": tables or [],
        "charts": charts or [],
        "note": note,
    }


def chart(*, title: str, svg: str) -> dict:
    from score_portal.charts import data_uri as svg_data_uri

    return {"title": title, "uri": svg_data_uri(svg)}


def percent(share) -> str:
    """A share (0–1) as text, or a dash when there is nothing to divide: the portal's one
    percent formatter, so a PDF prints what the page prints."""
    return format_percent(share)


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def as_date(value: date | None) -> date | None:
    """A date cell: the PDF prints it in the report's language (the ``cell`` filter), the
    spreadsheet keeps a real date. (Not text: "2026-11-21" would be neither.)"""
    return value or None


iso = as_date  # the builders' older name
