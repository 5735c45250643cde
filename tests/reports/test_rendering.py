"""The renderer: static-only URL fetcher, escaping of user text, Chinese, charts."""

import io
from unittest import mock

import pytest
from django.conf import settings
from django.utils.translation import override
from pypdf import PdfReader

from reports.builders import build_enterprise, build_partner
from reports.rendering import FetchRefused, render_pdf, render_xlsx, resolve_local, url_fetcher
from score_portal.charts import bar_chart
from score_portal.charts import data_uri as svg_data_uri

STATIC = settings.BASE_DIR / "static"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/style.css",
        "ftp://example.org/x",
        "file:///etc/passwd",
        f"file://{STATIC}/../pyproject.toml",
        "file:///static/../config/settings.py",
        f"file://{settings.BASE_DIR}/manage.py",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises((FetchRefused, ValueError)):
        url_fetcher().fetch(url)


def test_fetcher_serves_static_files_and_data_images():
    response = url_fetcher().fetch("file:///static/reports/pdf.css")
    assert b"@page" in response.read()
    assert resolve_local(f"file://{STATIC}/css/portal.css") == (STATIC / "css/portal.css")
    png = "data:image/png;base64,iVBORw0KGgo="
    assert url_fetcher().fetch(png).read().startswith(b"\x89PNG")


@pytest.mark.django_db
def test_a_name_with_markup_prints_as_text_and_fetches_nothing(cast):
    from .factories import EnterpriseFactory

    evil = '<img src="http://127.0.0.1:9/x">'
    enterprise = EnterpriseFactory(partner=cast.zj, name=evil)
    context = build_enterprise(enterprise_id=enterprise.pk)
    with mock.patch("urllib.request.OpenerDirector.open") as network:
        data = render_pdf(context)
    network.assert_not_called()
    assert evil in pdf_text(data)


@pytest.mark.django_db
def test_chinese_report_embeds_a_cjk_font(figures):
    with override("zh-hans"):
        data = render_pdf(build_partner(partner_id=figures.cast.zj.pk, language="zh-hans"))
    text = pdf_text(data)
    assert "浙江省企业联合会" in text
    assert "杭州纺织有限公司" in text
    assert "合作单位进展报告" in text
    fonts = {
        str(font)
        for page in PdfReader(io.BytesIO(data)).pages
        for font in page["/Resources"]["/Font"].values()
        for font in [font.get_object()["/BaseFont"]]
    }
    assert any("Noto-Sans-CJK-SC" in font for font in fonts), fonts


@pytest.mark.django_db
def test_english_partner_report_shows_the_figures_and_page_numbers(figures):
    with override("en"):
        data = render_pdf(build_partner(partner_id=figures.cast.zj.pk))
    text = pdf_text(data)
    assert "Zhejiang Enterprise Federation" in text
    assert "62%" in text  # cost recovery, rounded as its indicator says (as on the page)
    assert "Suzhou Metalworks" in text
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert f"1 / {pages}" in text and f"{pages} / {pages}" in text


@pytest.mark.django_db
def test_spreadsheet_has_the_same_tables(figures):
    from openpyxl import load_workbook

    with override("en"):
        context = build_partner(partner_id=figures.cast.zj.pk)
        workbook = load_workbook(io.BytesIO(render_xlsx(context)))
    assert len(workbook.sheetnames) == 1 + len(context["sections"])
    values = [
        cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert "Suzhou Metalworks" in values
    assert 26000.0 in values  # total fees in the cost recovery table


def test_chart_is_svg_readable_without_colour():
    svg = bar_chart(categories=["M1", "M2"], series={"Made": [3, 5], "Implemented": [1, 2]})
    assert svg.startswith("<svg")  # the XML prolog is dropped: it may sit inside HTML
    assert "<text" not in svg  # text drawn as paths: no font needed
    assert 'id="patch' in svg and "hatch" in svg.lower() or "pattern" in svg
    assert svg_data_uri(svg).startswith("data:image/svg+xml;base64,")


@pytest.mark.django_db
def test_long_enterprise_table_is_cut_in_the_pdf_but_whole_in_the_spreadsheet(figures, monkeypatch):
    from reports.builders import partner

    monkeypatch.setattr(partner, "PDF_ENTERPRISE_ROWS", 1)
    with override("en"):
        context = build_partner(partner_id=figures.cast.zj.pk)
        text = pdf_text(render_pdf(context))
    table = next(s for s in context["sections"] if s["key"] == "enterprises")["tables"][0]
    assert len(table["rows"]) == 2 and len(table["pdf_rows"]) == 1
    assert "Hangzhou Textiles" in text and "Suzhou Metalworks" not in text.split("Enterprises")[-1]
    assert "The first 1 of 2 rows" in text
