"""The demo data is consistent: every enterprise's status is the one its enrolments call
for, and the materialised latest KPI follow-ups match the readings."""

import io

import pytest
from django.core.management import call_command

from enterprises.models import Enrolment, Enterprise, KPILatest, KPIReading, enterprise_status_for
from enterprises.services.kpi import latest_pairs

pytestmark = pytest.mark.django_db


def test_demo_statuses_follow_enrolments_and_kpi_latest_matches_the_readings():
    call_command("seed_demo", stdout=io.StringIO())
    enrolments: dict[int, list[str]] = {}
    for enterprise_id, status in Enrolment.objects.values_list("enterprise_id", "status"):
        enrolments.setdefault(enterprise_id, []).append(status)
    wrong = [
        (pk, status)
        for pk, status in Enterprise.objects.values_list("pk", "status")
        if status != enterprise_status_for(enrolments.get(pk, []), status)
    ]
    assert wrong == []
    statuses = set(Enterprise.objects.values_list("status", flat=True))
    assert statuses == {"prospect", "active", "completed", "withdrawn"}
    rebuilt = {
        (p.enterprise_id, p.kpi_id, p.baseline_id, p.latest_id, p.latest_value)
        for p in latest_pairs(
            KPIReading.objects.values_list(
                "pk", "enterprise_id", "kpi_id", "kind", "period_end", "value"
            )
        )
    }
    assert rebuilt and rebuilt == set(
        KPILatest.objects.values_list(
            "enterprise_id", "kpi_id", "baseline_id", "latest_id", "latest_value"
        )
    )
