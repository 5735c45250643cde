import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from enterprises.models import Enrolment, Enterprise
from score_portal.models import Membership

from .import_files import csv_bytes, good_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


def _file(tmp_path, data, name="enterprises.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _call(*args, **kwargs):
    out = io.StringIO()
    call_command("import_enterprises", *args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def test_the_command_imports_as_a_staff_member_of_the_partner(cast, tmp_path):
    output = _call(_file(tmp_path, xlsx_bytes(good_rows())), "--partner", "zj")
    assert "row 2: new Huzhou Silk Co., Ltd. (enrolled in M1)" in output
    assert "new: 3, update: 0, unchanged: 0, error: 0" in output
    assert Enterprise.objects.filter(partner=cast.zj).count() == 3
    assert Enterprise.objects.first().history.first().history_user == cast.zj_staff
    again = _call(_file(tmp_path, xlsx_bytes(good_rows())), "--partner", "ZJ")
    assert "new: 0, update: 0, unchanged: 3, error: 0" in again


def test_a_dry_run_writes_nothing(cast, tmp_path):
    output = _call(_file(tmp_path, xlsx_bytes(good_rows())), "--partner", "ZJ", "--dry-run")
    assert "Dry run" in output and Enterprise.objects.count() == 0


def test_a_failing_row_exits_with_an_error_and_writes_nothing(cast, tmp_path):
    rows = good_rows() + [["Bad Co.", "", "", "", "", "", "", "M9", ""]]
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported") as failure:
        call_command(
            "import_enterprises", _file(tmp_path, xlsx_bytes(rows)), "--partner", "ZJ", stdout=out
        )
    assert failure.value.returncode == 1  # manage.py exits with this status
    assert "row 5: error Bad Co. (module: Unknown module “M9”.)" in out.getvalue()
    assert "new: 3, update: 0, unchanged: 0, error: 1" in out.getvalue()
    assert Enterprise.objects.count() == 0 and Enrolment.objects.count() == 0


def test_a_file_that_is_not_a_spreadsheet_exits_with_an_error(cast, tmp_path):
    with pytest.raises(CommandError):
        _call(_file(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00", "x.xlsx"), "--partner", "ZJ")


def test_the_acting_user_can_be_named_and_must_be_allowed(cast, tmp_path):
    path = _file(tmp_path, csv_bytes([["name"], ["Silk"]]), "a.csv")
    _call(path, "--partner", "ZJ", "--user", "zj-staff")
    with pytest.raises(CommandError, match="may not import"):
        _call(path, "--partner", "ZJ", "--user", "zj-manager")
    with pytest.raises(CommandError, match="No partner"):
        _call(path, "--partner", "XX")


def test_a_partner_without_staff_needs_a_user(cast, tmp_path):
    Membership.objects.filter(partner=cast.sc).delete()
    with pytest.raises(CommandError, match="no active staff"):
        _call(_file(tmp_path, csv_bytes([["name"], ["Silk"]]), "a.csv"), "--partner", "SC")
