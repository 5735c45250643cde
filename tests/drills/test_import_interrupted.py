"""Drill: an enterprise import dies halfway (a bug, the database refusing a write, the
worker's process ending with an exception) and leaves the database as it was.

``run_import`` writes every row inside one transaction. The drill imports 50 rows (new
enterprises with enrolments, plus updates of existing ones) and makes the enrolment service
raise an unexpected error on the 25th row, so rows 1–24 have already been written when it
fails. On PostgreSQL, in a transactional test, the rollback is the real one.
"""

import io

import pytest

import enterprises.transfer.importing as importing
from catalogue.models import Module
from enterprises.models import Enrolment, Enterprise
from enterprises.transfer.importing import run_import
from enterprises.transfer.parsing import parse
from tests.enterprises.import_files import HEADERS, csv_bytes
from tests.factories import EnrolmentFactory, EnterpriseFactory

pytestmark = [pytest.mark.services, pytest.mark.drills]


class Crash(RuntimeError):
    pass


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_failing_midway_leaves_the_database_as_it_was(cast, monkeypatch):
    m1 = Module.objects.get(code="M1")
    existing = [
        EnterpriseFactory(partner=cast.zj, name=f"Existing Works {n}", employees_total=100)
        for n in range(5)
    ]
    EnrolmentFactory(enterprise=existing[0], module=m1)
    rows = [HEADERS]
    for n in range(5):  # updates of existing enterprises (employees 100 -> 150)
        rows.append([f"Existing Works {n}", "", "C13", "Zhejiang", "Huzhou", 150, 40, "", ""])
    for n in range(45):  # new enterprises, each enrolled in M1
        rows.append(
            [
                f"Imported Factory {n:02d}",
                "",
                "C13",
                "Zhejiang",
                "Huzhou",
                80,
                20,
                "M1",
                "2026-03-01",
            ]
        )
    assert len(rows) == 51

    before = (
        Enterprise.objects.count(),
        Enrolment.objects.count(),
        Enterprise.history.count(),
        sorted(Enterprise.objects.values_list("name", "employees_total")),
    )
    real_enrolment_create = importing.enrolment_create
    calls = []

    def enrolment_create(**kwargs):
        calls.append(kwargs["enterprise"].name)
        if len(calls) == 20:  # the 25th row: 5 updates, then the 20th new enterprise
            assert Enterprise.objects.filter(name__startswith="Imported").count() == 20
            raise Crash("the worker dies here")
        return real_enrolment_create(**kwargs)

    monkeypatch.setattr(importing, "enrolment_create", enrolment_create)
    with pytest.raises(Crash):
        run_import(
            acting_user=cast.zj_staff,
            partner=cast.zj,
            parsed=parse(io.BytesIO(csv_bytes(rows)), "enterprises.csv"),
            dry_run=False,
        )

    assert len(calls) == 20
    after = (
        Enterprise.objects.count(),
        Enrolment.objects.count(),
        Enterprise.history.count(),
        sorted(Enterprise.objects.values_list("name", "employees_total")),
    )
    assert after == before
