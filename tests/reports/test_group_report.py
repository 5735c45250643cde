"""The enterprise group report: its figures are the indicator register's narrowed to the
group's enterprises, in the PDF (read with pdftotext) and the XLSX (openpyxl), in English
and Chinese; the page's figures agree; another partner cannot ask for it."""

import io
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override
from openpyxl import load_workbook

from enterprises.services import enterprise_group_assign, enterprise_group_create
from reports.builders import build_group
from reports.groups import COMPARE_CODES, GROUP_CODES
from reports.indicators import indicator_values, value_of
from reports.indicators.display import format_value
from reports.models import ReportRun
from reports.services import report_build, report_claim, report_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def grouped(figures):
    cast = figures.cast
    group = enterprise_group_create(
        acting_user=cast.zj_staff,
        partner=cast.zj,
        name="Zhejiang Provincial Transport Investment Group",
        name_zh="浙江省交通投资集团",
    )
    # Hangzhou Textiles only: Suzhou Metalworks (same partner) stays outside the group
    enterprise_group_assign(acting_user=cast.zj_staff, group=group, enterprises=[figures.e1])
    figures.group = group
    return figures


def _register(group_ids, codes=GROUP_CODES, **kwargs):
    values = indicator_values(None, codes, enterprise_ids=group_ids, **kwargs)
    return {code: value_of(values, code) for code in codes}


def test_group_figures_are_the_registers_over_the_groups_enterprises(grouped):
    context = build_group(group_id=grouped.group.pk)
    values = context["data"]["indicators"]
    assert values == _register([grouped.e1.pk])
    # hand-counted (conftest): Hangzhou Textiles alone
    assert values["enterprises_reached"] == 1
    assert values["projects_completed"] == 1
    assert values["savings_total"] == {"CNY": Decimal(12000)}
    assert values["eit_members"] == 5
    assert values["suggestions_made"] == 18
    assert values["suggestions_implemented"] == 10
    # the partner's figures are larger: the group narrowed them
    partner = indicator_values(None, ["projects_completed"], partner_ids=[grouped.cast.zj.pk])
    assert value_of(partner, "projects_completed") == 3
    # the comparison row is the register's for that enterprise alone
    row = context["data"]["comparison"]["Hangzhou Textiles"]
    assert row == _register([grouped.e1.pk], COMPARE_CODES)
    assert set(context["data"]["comparison"]) == {"Hangzhou Textiles"}


def test_by_enterprise_keys_add_up_to_the_groups_figures(grouped):
    enterprise_group_assign(
        acting_user=grouped.cast.zj_staff, group=grouped.group, enterprises=[grouped.e2]
    )
    ids = [grouped.e1.pk, grouped.e2.pk]
    per = indicator_values(
        None, ["projects_completed", "suggestions_made"], enterprise_ids=ids, by="enterprise"
    )
    whole = _register(ids, ["projects_completed", "suggestions_made"])
    for code in ("projects_completed", "suggestions_made"):
        assert sum(per[code].values()) == whole[code]
    assert per["projects_completed"] == {grouped.e1.pk: 1, grouped.e2.pk: 2}


def test_partner_figures_cannot_be_narrowed_to_enterprises(grouped):
    with pytest.raises(ValueError):
        indicator_values(None, ["workshops_held"], enterprise_ids=[grouped.e1.pk])


def _pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize(
    ("language", "name", "title"),
    [
        ("en", "Zhejiang Provincial Transport Investment Group", "Enterprise group report"),
        ("zh-hans", "浙江省交通投资集团", None),
    ],
)
def test_group_report_pdf_and_xlsx_agree_with_the_register(grouped, language, name, title):
    outcome = report_request(
        acting_user=grouped.cast.zj_manager,
        kind=ReportRun.Kind.GROUP,
        group=grouped.group,
        language=language,
    )
    run = outcome.run
    assert run.partner == grouped.cast.zj
    assert report_claim(run_id=run.pk)
    run = report_build(run_id=run.pk)
    assert run.status == ReportRun.Status.DONE
    expected = _register([grouped.e1.pk])
    with override(language):
        from reports.indicators.definitions import REGISTER

        labels = {code: str(REGISTER[code].name) for code in GROUP_CODES}
        printed = {code: format_value(code, expected[code]) for code in GROUP_CODES}
        report_title = str(ReportRun.Kind.GROUP.label)
    text = _pdf_text(run.file.path)
    flat = " ".join(text.split())
    assert name in flat
    assert (title or report_title) in flat
    assert "Suzhou Metalworks" not in flat
    for code in ("projects_completed", "suggestions_made", "eit_members", "savings_total"):
        assert labels[code] in flat, code
        assert printed[code] in flat, code
    workbook = load_workbook(io.BytesIO(run.xlsx_file.read()))
    summary = {
        row[0]: row[1]
        for row in workbook.worksheets[0].iter_rows(values_only=True)
        if row and row[0] and len(row) > 1
    }
    for code in GROUP_CODES:
        assert summary[labels[code]] == printed[code], code
    assert workbook.worksheets[0].cell(row=2, column=1).value.startswith(name)


def test_group_report_from_the_group_page(client, grouped):
    url = reverse("reports:group-report", args=[grouped.group.pk])
    client.force_login(grouped.cast.sc_staff)
    assert client.post(url, {"language": "en"}).status_code == 404
    client.force_login(grouped.cast.zj_trainer)
    assert client.post(url, {"language": "en"}).status_code == 403
    client.force_login(grouped.cast.zj_manager)
    response = client.post(url, {"language": "zh-hans"})
    assert response.status_code == 302
    run = ReportRun.objects.get(kind="group")
    assert run.group == grouped.group and run.language == "zh-hans"


def test_report_request_form_offers_the_group_report(client, grouped):
    client.force_login(grouped.cast.zj_manager)
    page = client.get(reverse("reports:run-create")).content.decode()
    assert "Enterprise group report" in page and grouped.group.name in page
    response = client.post(reverse("reports:run-create"), {"kind": "group", "language": "en"})
    assert "Choose the enterprise group to report on." in response.content.decode()
    client.post(
        reverse("reports:run-create"),
        {"kind": "group", "group": grouped.group.pk, "language": "en"},
    )
    assert ReportRun.objects.filter(kind="group", group=grouped.group).exists()


def test_group_page_figures_agree_with_the_report(client, grouped):
    client.force_login(grouped.cast.zj_staff)
    page = client.get(reverse("enterprises:groups:detail", args=[grouped.group.pk]))
    section = next(ctx for tpl, ctx in page.context["sections"] if "group" in tpl)
    expected = _register([grouped.e1.pk])
    assert {f["code"]: f["value"] for f in section["figures"]} == {
        code: format_value(code, expected[code]) for code in GROUP_CODES
    }


def test_dashboard_filters_by_group_with_the_registers_figures(client, grouped):
    import datetime as dt

    client.force_login(grouped.cast.programme)
    response = client.get(reverse("reports:dashboard"), {"group": grouped.group.pk, "year": 2026})
    assert response.status_code == 200
    block = response.context["group"]
    assert [p.pk for p in response.context["partners"]] == [grouped.cast.zj.pk]
    values = _register(
        [grouped.e1.pk], period_from=dt.date(2026, 1, 1), period_to=dt.date(2026, 12, 31)
    )
    assert {f["code"]: f["value"] for f in block["figures"]} == {
        code: format_value(code, values[code]) for code in GROUP_CODES
    }
    assert [row["enterprise"].name for row in block["rows"]] == ["Hangzhou Textiles"]
    # another partner's staff are not offered the group, and asking for it shows no group
    client.force_login(grouped.cast.sc_staff)
    response = client.get(reverse("reports:dashboard"), {"group": grouped.group.pk})
    assert response.status_code == 200 and "group" not in response.context
