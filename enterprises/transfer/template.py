"""The XLSX import template: a sheet with English and Chinese header rows, and an
instructions sheet listing every column, the allowed values and an example row."""

from django.utils import translation
from django.utils.translation import gettext as _

from catalogue.models import Module

from .columns import CHOICE, COLUMNS, DATE, DECIMAL, INT, MODULE, REQUIRED

EXAMPLE = {
    "name": "Huzhou Silk Co., Ltd.",
    "name_zh": "湖州丝绸有限公司",
    "credit_code": "91330100MA27XK5Q1W",
    "sector": "C13",
    "province": "浙江省",
    "city": "湖州",
    "address": "1 Renmin Road",
    "employees_total": 240,
    "employees_women": 150,
    "year_founded": 1998,
    "ownership": "private",
    "group": "",
    "lead_buyer": "",
    "contact_person": "王芳",
    "phone": "0572-1234567",
    "email": "info@example.com",
    "status": "active",
    "notes": "",
    "module": "M1",
    "enrolment_status": "applied",
    "applied_on": "2026-03-01",
    "paid_enterprise": 3000,
    "paid_sponsor": 0,
    "paid_government": 2000,
    "paid_ilo": 5000,
}


def _format(column) -> str:
    if column.kind == INT:
        return _("Whole number")
    if column.kind == DECIMAL:
        return _("Amount in CNY, for example 1200.50")
    if column.kind == DATE:
        return _("Date, YYYY-MM-DD")
    if column.kind in (CHOICE, MODULE):
        return _("One of the values listed below (code, English or Chinese name)")
    if column.key == "credit_code":
        return _("18 characters; matches an existing enterprise")
    return _("Text")


def _allowed_values(column) -> list[tuple[str, str, str]]:
    if column.kind == MODULE:
        return [(m.code, m.name_en, m.name_zh) for m in Module.objects.filter(is_active=True)]
    values = []
    for code, label in column.choices():
        with translation.override("en"):
            english = str(label)
        with translation.override("zh-hans"):
            chinese = str(label)
        values.append((code, english, chinese))
    return values


def template_workbook() -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    from score_portal import spreadsheets

    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = spreadsheets.sheet_title(_("Enterprises"))
    spreadsheets.append(sheet, [column.key for column in COLUMNS], bold=True)
    spreadsheets.append(sheet, [column.zh for column in COLUMNS], bold=True)
    sheet.freeze_panes = "A3"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(
            14, len(column.key) + 4
        )

    notes = workbook.create_sheet(spreadsheets.sheet_title(_("Instructions")))
    add = spreadsheets.append
    bold = Font(bold=True)
    add(notes, [_("How to fill in the enterprise import file")])
    notes["A1"].font = Font(bold=True, size=14)
    for line in (
        _(
            "Fill in one row per enterprise on the first sheet, below the two header rows. "
            "The first header row (English) or the second (Chinese) is enough: you may delete "
            "either."
        ),
        _(
            "An enterprise is matched by its credit code, or else by its name: importing a "
            "file again updates the enterprises instead of adding them twice."
        ),
        _("Empty cells leave the stored value unchanged."),
        _(
            "To enrol an enterprise in several modules, repeat its row with another module: "
            "the entry module comes first."
        ),
        _(
            "The portal first shows a preview of every row; nothing is saved until you "
            "confirm, and nothing at all is saved if any row has an error."
        ),
    ):
        add(notes, [line])
    add(notes, [])
    add(
        notes,
        [_("Column (English)"), _("Column (Chinese)"), _("Meaning"), _("Required"), _("Format")],
    )
    for cell in notes[notes.max_row]:
        cell.font = bold
    for column in COLUMNS:
        add(
            notes,
            [
                column.key,
                column.zh,
                str(column.label),
                _("Yes") if column.key in REQUIRED else "",
                _format(column),
            ],
        )
    for column in COLUMNS:
        if column.kind not in (CHOICE, MODULE):
            continue
        add(notes, [])
        add(notes, [_("Allowed values for %(column)s") % {"column": column.key}])
        notes[notes.max_row][0].font = bold
        add(notes, [_("Code"), _("English"), _("Chinese")])
        for row in _allowed_values(column):
            add(notes, list(row))
    add(notes, [])
    add(notes, [_("Example row")])
    notes[notes.max_row][0].font = bold
    add(notes, [column.key for column in COLUMNS])
    add(notes, [EXAMPLE.get(column.key, "") for column in COLUMNS])
    for letter, width in zip("ABCDE", (22, 18, 36, 10, 50), strict=True):
        notes.column_dimensions[letter].width = width
    return spreadsheets.to_bytes(workbook)
