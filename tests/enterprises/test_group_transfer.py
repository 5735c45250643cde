"""Imports name an enterprise group by its English or Chinese name (or code); an unknown
name is the row's error and no group is made; exports show the group in the reader's
language."""

import io

import openpyxl
import pytest
from django.utils import translation

from enterprises.models import Enterprise, EnterpriseGroup
from enterprises.services import enterprise_group_create
from enterprises.transfer.exporting import export_enterprises
from enterprises.transfer.importing import run_import
from enterprises.transfer.parsing import parse
from tests.factories import EnrolmentFactory, EnterpriseFactory

from .import_files import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(cast):
    return enterprise_group_create(
        acting_user=cast.zj_staff,
        partner=cast.zj,
        name="Zhejiang Provincial Airport Group",
        name_zh="浙江省机场集团",
        code="ZJ-AIRPORT",
    )


def _run(cast, rows, partner=None, user=None):
    return run_import(
        acting_user=user or cast.zj_staff,
        partner=partner or cast.zj,
        parsed=parse(io.BytesIO(csv_bytes(rows)), "groups.csv"),
        dry_run=False,
    )


def test_the_group_column_takes_either_name_or_the_code(cast, group):
    result = _run(
        cast,
        [
            ["name", "所属集团"],
            ["Hangzhou Airport Services", "Zhejiang Provincial Airport Group"],
            ["Ningbo Airport Catering", "浙江省机场集团"],
            ["Wenzhou Airport Fuel", "zj-airport"],
        ],
    )
    assert [row.outcome for row in result.rows] == ["new", "new", "new"]
    assert group.enterprises.count() == 3


def test_the_old_parent_group_header_still_imports(cast, group):
    _run(cast, [["parent_group", "name"], ["浙江省机场集团", "Airport Bus Co."]])
    assert Enterprise.objects.get(name="Airport Bus Co.").group == group


def test_an_unknown_group_is_a_row_error_and_creates_no_group(cast, group):
    result = _run(cast, [["name", "Enterprise group"], ["Silk Co.", "Huzhou Silk Group"]])
    assert [row.outcome for row in result.rows] == ["error"]
    error = result.rows[0].errors[0]
    assert error["column"] == "Enterprise group"
    assert "Unknown enterprise group “Huzhou Silk Group”" in error["message"]
    assert EnterpriseGroup.objects.count() == 1 and not Enterprise.objects.exists()


def test_another_partners_group_is_unknown_to_this_partners_import(cast, group):
    result = _run(
        cast,
        [["name", "所属集团"], ["Chengdu Foods", "浙江省机场集团"]],
        partner=cast.sc,
        user=cast.sc_staff,
    )
    assert [row.outcome for row in result.rows] == ["error"]


def test_a_row_by_row_import_with_enrolments_sets_the_group_too(cast, group):
    result = _run(cast, [["name", "所属集团", "module"], ["Airport Hotel", "浙江省机场集团", "M1"]])
    assert [row.outcome for row in result.rows] == ["new"]
    assert Enterprise.objects.get(name="Airport Hotel").group == group


def test_reimport_moves_an_enterprise_to_another_group_and_history_says_who(cast, group):
    other = enterprise_group_create(acting_user=cast.zj_staff, partner=cast.zj, name="Transport")
    enterprise = EnterpriseFactory(partner=cast.zj, name="Airport Bus Co.", group=other)
    result = _run(cast, [["name", "所属集团"], ["Airport Bus Co.", "ZJ-AIRPORT"]])
    assert [row.outcome for row in result.rows] == ["update"]
    enterprise.refresh_from_db()
    assert enterprise.group == group
    assert enterprise.history.first().history_user == cast.zj_staff


@pytest.mark.parametrize(
    ("language", "header", "shown"),
    [
        ("en", "Enterprise group", "Zhejiang Provincial Airport Group"),
        ("zh-hans", "企业集团", "浙江省机场集团"),
    ],
)
def test_the_export_shows_the_group_in_the_readers_language(cast, group, language, header, shown):
    enterprise = EnterpriseFactory(partner=cast.zj, name="Airport Bus Co.", group=group)
    EnrolmentFactory(enterprise=enterprise)
    with translation.override(language):
        data, _type, _name = export_enterprises(Enterprise.objects.all(), "xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert dict(zip(rows[0], rows[1], strict=True))[header] == shown
    # and the exported file imports again into the same group
    csv_rows = [list(rows[0]), ["" if v is None else v for v in rows[1]]]
    result = _run(cast, csv_rows)
    assert all(row.outcome != "error" for row in result.rows), result.rows
