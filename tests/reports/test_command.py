import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_render_report_writes_a_partner_pdf_and_spreadsheet(figures, tmp_path):
    pdf, xlsx = tmp_path / "zj.pdf", tmp_path / "zj.xlsx"
    call_command(
        "render_report",
        "partner",
        "--scope",
        "zj",
        "--lang",
        "zh-hans",
        "-o",
        str(pdf),
        "--xlsx",
        str(xlsx),
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
    )
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.read_bytes().startswith(b"PK")


def test_render_report_needs_a_known_scope(figures, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "render_report", "enterprise", "--scope", "999999", "-o", str(tmp_path / "x.pdf")
        )
    with pytest.raises(CommandError):
        call_command("render_report", "partner", "--scope", "XX", "-o", str(tmp_path / "x.pdf"))
