"""Checks at entry of a KPI reading: the first reading defaults to the baseline, and a value
outside the plausible range or far from the previous reading needs a confirmation with a
reason (issue 15)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading
from enterprises.services import kpi as services
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _kpi(code):
    return KPIDefinition.objects.get(code=code)


def _data(code="defect_rate", value="4.5", kind="baseline", month=1):
    start = datetime.date(2026, month, 1)
    return {
        "kpi": _kpi(code),
        "kind": kind,
        "period_start": start,
        "period_end": start + datetime.timedelta(days=27),
        "value": Decimal(value),
        "source": "visit",
    }


def test_kpi_form_defaults_to_baseline_when_the_enterprise_has_none(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:kpi:record", args=[enterprise.pk])
    form = client.get(url).context["form"]
    assert form["kind"].value() == "baseline"
    services.kpi_reading_record(acting_user=cast.zj_staff, enterprise=enterprise, **_data())
    defects = _kpi("defect_rate").pk
    assert client.get(url, {"kpi": defects}).context["form"]["kind"].value() == "follow_up"
    waste = _kpi("waste").pk
    assert client.get(url, {"kpi": waste}).context["form"]["kind"].value() == "baseline"


def test_a_value_outside_the_plausible_range_needs_a_confirmation(cast):
    kpi = _kpi("defect_rate")
    assert kpi.plausible_max is not None and kpi.plausible_max < 250
    enterprise = EnterpriseFactory(partner=cast.zj)
    data = _data(value="250")
    with pytest.raises(ValidationError) as refused:
        services.kpi_reading_record(acting_user=cast.zj_staff, enterprise=enterprise, **data)
    errors = refused.value.message_dict
    assert "outside the plausible range" in errors["value"][0]
    assert {"confirm_unusual", "unusual_reason"} <= set(errors)
    with pytest.raises(ValidationError, match="reason"):
        services.kpi_reading_record(
            acting_user=cast.zj_staff, enterprise=enterprise, confirm_unusual=True, **data
        )
    assert not KPIReading.objects.exists()
    saved = services.kpi_reading_record(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        confirm_unusual=True,
        unusual_reason="Counted rework as defects",
        **data,
    )
    assert saved.history.first().history_change_reason == "Counted rework as defects"


def test_a_value_far_from_the_previous_reading_needs_a_confirmation(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    services.kpi_reading_record(acting_user=cast.zj_staff, enterprise=enterprise, **_data())
    far = _data(value="12", kind="follow_up", month=3)
    with pytest.raises(ValidationError, match="away from the previous reading"):
        services.kpi_reading_record(acting_user=cast.zj_staff, enterprise=enterprise, **far)
    near = _data(value="4", kind="follow_up", month=3)
    services.kpi_reading_record(acting_user=cast.zj_staff, enterprise=enterprise, **near)
    assert KPIReading.objects.count() == 2


def test_correcting_to_an_unusual_value_needs_a_confirmation(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    item = services.kpi_reading_record(acting_user=cast.zj_staff, enterprise=enterprise, **_data())
    with pytest.raises(ValidationError, match="plausible range"):
        services.kpi_reading_update(acting_user=cast.zj_staff, reading=item, value=Decimal(250))
    item.refresh_from_db()
    assert item.value == Decimal("4.5")


@pytest.mark.parametrize(
    "language, words", [("en", "outside the plausible range"), ("zh-hans", "合理范围")]
)
def test_the_page_refuses_250_percent_defects_without_confirmation(client, cast, language, words):
    enterprise = EnterpriseFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:kpi:record", args=[enterprise.pk])
    post = {
        "kpi": _kpi("defect_rate").pk,
        "kind": "baseline",
        "source": "visit",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "value": "250",
    }
    response = client.post(url, post, headers={"accept-language": language})
    page = response.content.decode()
    assert response.status_code == 400 and words in page
    assert 'name="confirm_unusual"' in page and "unusual-confirm d-none" not in page
    assert not KPIReading.objects.exists()
    post |= {"confirm_unusual": "on", "unusual_reason": "Pilot line"}
    assert client.post(url, post).status_code == 302
    assert KPIReading.objects.get().value == 250


def test_the_form_carries_the_range_for_the_offline_check(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:kpi:record", args=[enterprise.pk])).content.decode()
    assert "data-max=" in page and "data-unusual-check" in page and "js/kpi-check.js" in page
    assert "unusual-confirm d-none" in page
