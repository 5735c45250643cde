"""Build import files in memory for the tests."""

import csv
import io

import openpyxl

from tests.factories import valid_uscc

HEADERS = [
    "name",
    "credit_code",
    "sector",
    "province",
    "city",
    "employees_total",
    "employees_women",
    "module",
    "applied_on",
]
CODE_A = valid_uscc("91330100MA27XK5Q1")
CODE_B = valid_uscc("91330500MA2B3C4D5")


def good_rows():
    return [
        HEADERS,
        [
            "Huzhou Silk Co., Ltd.",
            CODE_A,
            "C13",
            "Zhejiang",
            "Huzhou",
            240,
            150,
            "M1",
            "2026-03-01",
        ],
        ["Ningbo Moulds Co., Ltd.", CODE_B, "C25", "浙江省", "Ningbo", 80, 20, "", ""],
        [
            "Jiaxing Garments",
            "",
            "14 Wearing apparel",
            "Zhejiang",
            "Jiaxing",
            "120",
            "90",
            "m1",
            "",
        ],
    ]


def xlsx_bytes(rows, sheet_title="Enterprises") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)
