"""Turn a builder's context into PDF bytes (WeasyPrint) and XLSX bytes (openpyxl).

The renderer fetches nothing from the network: ``StaticOnlyFetcher`` serves the project's
own static files (and font files) and ``data:`` images, and refuses everything else, so a
user-typed ``<img src="http://…">`` could never make the worker call out even if it were
not escaped (it is: templates never use ``|safe`` on user data).
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
TEMPLATES = {
    "enterprise": "reports/pdf/enterprise.html",
    "partner": "reports/pdf/partner.html",
    "group": "reports/pdf/group.html",
    "programme": "reports/pdf/programme.html",
    "workshop": "reports/pdf/workshop.html",
}
BASE_URL = "file:///"


class FetchRefused(ValueError):
    pass


def _allowed_roots() -> list[Path]:
    roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    roots += [d.resolve() for d in FONT_DIRS if d.exists()]
    return roots


def resolve_local(url: str) -> Path:
    """The file a ``file:`` URL points to, if it lies inside static or font directories.

    ``/static/…`` paths (what ``{% static %}`` produces) are looked up with the staticfiles
    finders; any other path must resolve, symlinks and ``..`` followed, inside an allowed
    root."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"Refused to fetch {url!r}: only static files are allowed.")
    path = unquote(parts.path)
    if ".." in Path(path).parts:
        raise FetchRefused(f"Refused to fetch {url!r}: '..' in path.")
    static_url = settings.STATIC_URL
    if path.startswith(static_url):
        found = finders.find(path.removeprefix(static_url))
        candidate = Path(found).resolve() if found else None
    else:
        candidate = Path(path).resolve()
    if (
        candidate
        and candidate.is_file()
        and any(candidate.is_relative_to(root) for root in _allowed_roots())
    ):
        return candidate
    raise FetchRefused(f"Refused to fetch {url!r}: not a static file.")


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self, **kwargs):
            super().__init__(
                timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False, **kwargs
            )

        def fetch(self, url, headers=None):
            if url[:5].lower() == "data:":
                if not url[5:].lower().startswith("image/"):
                    raise FetchRefused("Refused data: URL that is not an image.")
                return super().fetch(url, headers)
            path = resolve_local(url)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return StaticOnlyFetcher


def url_fetcher():
    return _fetcher_class()()


def render_html(context: dict) -> str:
    return render_to_string(TEMPLATES[context["kind"]], context)


def render_pdf(context: dict) -> bytes:
    """PDF bytes of a report context; the caller has activated the report's language."""
    from weasyprint import HTML

    html = render_html(context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher())
    return document.write_pdf(pdf_variant=None)


def render_xlsx(context: dict) -> bytes:
    """The same tables as a spreadsheet: a summary sheet, then one sheet per section. Every
    cell goes through score_portal.spreadsheets (no formulas, no illegal characters)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from score_portal import spreadsheets

    workbook = spreadsheets.new_workbook()
    summary = workbook.active
    used: set[str] = set()
    summary.title = spreadsheets.sheet_title(context["title"], used)
    spreadsheets.append(summary, [context["title"]])
    summary["A1"].font = Font(bold=True, size=14)
    spreadsheets.append(summary, [context["scope_name"]])
    spreadsheets.append(summary, [context["period_label"]])
    spreadsheets.append(summary, [context["generated_on"]])
    spreadsheets.append(summary, [])
    for figure in context["figures"]:
        spreadsheets.append(summary, [figure["label"], figure["value"]])
    summary.column_dimensions["A"].width = 40
    for section in context["sections"]:
        sheet = workbook.create_sheet(spreadsheets.sheet_title(section["title"], used))
        spreadsheets.append(sheet, [section["title"]])
        sheet["A1"].font = Font(bold=True, size=12)
        for table in section["tables"]:
            spreadsheets.append(sheet, [])
            if table["title"]:
                spreadsheets.append(sheet, [table["title"]], bold=True)
            spreadsheets.append(sheet, table["columns"], bold=True)
            for cell in sheet[sheet.max_row]:
                cell.alignment = Alignment(wrap_text=True)
            for row in table["rows"]:
                spreadsheets.append(sheet, row)
            if table["totals"]:
                spreadsheets.append(sheet, table["totals"], bold=True)
        if section["note"]:
            spreadsheets.append(sheet, [])
            spreadsheets.append(sheet, [section["note"]])
        for index in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 18 if index > 1 else 40
    return spreadsheets.to_bytes(workbook)
