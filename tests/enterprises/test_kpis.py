"""KPI change in both directions, quality flags, the verification lock, evidence checks,
scoping, and the programme figures against hand-computed numbers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading, percent_change
from enterprises.selectors.kpi import kpi_table, programme_figures
from enterprises.services import kpi as services
from enterprises.services import review
from tests.factories import EnrolmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db
D = Decimal


def kpi(code):
    return KPIDefinition.objects.get(code=code)


def reading(enterprise, code, value, kind="follow_up", month=6, user=None, **extra):
    start = datetime.date(2026, month, 1)
    return KPIReading.objects.create(
        enterprise=enterprise,
        kpi=kpi(code),
        kind=kind,
        value=value,
        period_start=start,
        period_end=start + datetime.timedelta(days=27),
        **extra,
    )


@pytest.mark.parametrize(
    "baseline, value, direction, change, improved",
    [
        (D(100), D(120), "up", D(20), True),  # productivity up is better
        (D(100), D(80), "up", D(-20), False),
        (D(10), D(6), "down", D(-40), True),  # defect rate down is better
        (D(10), D(12), "down", D(20), False),
        (D(10), D(10), "down", D(0), False),
        (D(0), D(5), "up", None, None),  # no change against a zero baseline
        (None, D(5), "up", None, None),
    ],
)
def test_percent_change_respects_direction(baseline, value, direction, change, improved):
    result = percent_change(baseline, value, direction)
    assert result == (change, improved)


def test_quality_flags(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    reading(enterprise, "defect_rate", 5, kind="baseline", month=1)
    far = reading(enterprise, "defect_rate", D("9.5"), month=3)
    reading(enterprise, "defect_rate", 4, month=3)  # same period as `far`
    implausible = reading(enterprise, "on_time_delivery", 130, month=4)  # no baseline either
    rows = {row.kpi.code: row for row in kpi_table(enterprise)}
    defects = rows["defect_rate"]
    assert defects.change == D(-20) and defects.improved is True
    assert "more than 80% from the baseline" in defects.flags[far.pk]
    assert "period overlaps another reading" in defects.flags[far.pk]
    flags = rows["on_time_delivery"].flags[implausible.pk]
    assert "outside the plausible range" in flags and "no baseline" in flags


def test_only_one_baseline_per_kpi(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    data = {
        "kpi": kpi("waste"),
        "kind": "baseline",
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2026, 1, 31),
        "value": D(3),
        "source": "visit",
    }
    services.kpi_reading_record(acting_user=cast.zj_staff, enterprise=enterprise, **data)
    with pytest.raises(ValidationError, match="already has a baseline"):
        services.kpi_reading_record(acting_user=cast.zj_staff, enterprise=enterprise, **data)


def test_verified_reading_is_locked_until_unlocked_with_a_reason(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    item = reading(enterprise, "energy_use", 10)
    outcome = review.kpi_readings_verify(
        acting_user=cast.zj_staff, readings=KPIReading.objects.all()
    )
    assert outcome.count == 1
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="locked"):
        services.kpi_reading_update(acting_user=cast.zj_staff, reading=item, value=D(9))
    with pytest.raises(ValidationError, match="reason"):
        services.kpi_reading_unlock(acting_user=cast.zj_staff, reading=item, reason=" ")
    services.kpi_reading_unlock(
        acting_user=cast.zj_staff, reading=item, reason="Meter reading typed wrong"
    )
    services.kpi_reading_update(acting_user=cast.zj_staff, reading=item, value=D(9))
    item.refresh_from_db()
    assert item.value == D(9) and not item.is_verified
    assert item.history.filter(history_change_reason="Meter reading typed wrong").exists()


def test_partner_manager_and_trainer_cannot_verify(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    reading(enterprise, "energy_use", 10)
    for who in (cast.zj_manager, cast.zj_trainer):
        with pytest.raises(PermissionDenied):
            review.kpi_readings_verify(acting_user=who, readings=KPIReading.objects.all())


def test_unassigned_trainer_and_manager_cannot_record(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    data = {
        "kpi": kpi("waste"),
        "kind": "baseline",
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2026, 1, 31),
        "value": D(3),
    }
    for who in (cast.zj_trainer, cast.zj_manager, cast.sc_staff):
        with pytest.raises(PermissionDenied):
            services.kpi_reading_record(acting_user=who, enterprise=enterprise, **data)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("proof.pdf", b"MZ\x90\x00 not a pdf", "does not match"),
        ("proof.exe", b"MZ\x90\x00", "not accepted"),
        ("proof.png", b"", "empty"),
    ],
)
def test_evidence_files_are_checked(cast, name, content, message):
    enterprise = EnterpriseFactory(partner=cast.zj)
    with pytest.raises(ValidationError, match=message):
        services.kpi_reading_record(
            acting_user=cast.zj_staff,
            enterprise=enterprise,
            kpi=kpi("waste"),
            kind="baseline",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 1, 31),
            value=D(3),
            evidence=SimpleUploadedFile(name, content),
        )
    assert not KPIReading.objects.exists()


def test_evidence_too_large_is_refused(cast, settings):
    settings.UPLOAD_MAX_BYTES = 10
    enterprise = EnterpriseFactory(partner=cast.zj)
    with pytest.raises(ValidationError, match="too large"):
        services.kpi_reading_record(
            acting_user=cast.zj_staff,
            enterprise=enterprise,
            kpi=kpi("waste"),
            kind="baseline",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 1, 31),
            value=D(3),
            evidence=SimpleUploadedFile("p.pdf", b"%PDF-1.4 " + b"x" * 100),
        )


def test_record_through_the_page_with_evidence_and_download_it(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("enterprises:kpi:record", args=[enterprise.pk]),
        {
            "kpi": kpi("defect_rate").pk,
            "kind": "baseline",
            "source": "visit",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "value": "4.5",
            "evidence": SimpleUploadedFile("audit.pdf", b"%PDF-1.4 audit", "application/pdf"),
        },
    )
    assert response.status_code == 302
    item = KPIReading.objects.get()
    url = reverse("enterprises:kpi:evidence", args=[enterprise.pk, item.pk])
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 audit"
    client.force_login(cast.sc_staff)
    assert client.get(url).status_code == 404
    page = client.get(reverse("enterprises:kpi:overview", args=[enterprise.pk]))
    assert page.status_code == 404


def test_kpi_page_shows_table_and_chart(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    reading(enterprise, "defect_rate", 5, kind="baseline", month=1)
    reading(enterprise, "defect_rate", 3, month=6)
    client.force_login(cast.zj_manager)
    page = client.get(reverse("enterprises:kpi:overview", args=[enterprise.pk])).content.decode()
    assert "Defect rate" in page and "-40.0%" in page
    assert 'src="data:image/svg+xml;base64,' in page and "baseline 5, follow-ups 3" in page
    assert "Record a reading" not in page  # managers read only


def test_programme_figures_match_hand_computed_numbers(cast):
    # Three trained enterprises: A improves defects and cost, B reports but does not
    # improve, C has a baseline only. D is not trained (no enrolment in consulting).
    a, b, c, d = (EnterpriseFactory(partner=cast.zj) for _ in range(4))
    for enterprise in (a, b, c):
        EnrolmentFactory(enterprise=enterprise, status="in_consulting")
    EnrolmentFactory(enterprise=d, status="enrolled")
    reading(a, "defect_rate", 5, kind="baseline", month=1)
    reading(a, "defect_rate", 3, month=6)
    reading(a, "cost_savings", 1000, kind="baseline", month=1)
    reading(a, "cost_savings", 4000, month=6)
    reading(b, "energy_use", 10, kind="baseline", month=1)
    reading(b, "energy_use", 11, month=6)
    reading(c, "waste", 2, kind="baseline", month=1)
    a.projects.create(title="x", status="completed", realised_saving=D(30000))
    a.projects.create(title="y", status="completed", realised_saving=D(10000))
    b.projects.create(title="z", status="completed", realised_saving=D(20000))
    b.projects.create(title="open", status="in_progress", realised_saving=D(99999))
    figures = programme_figures(cast.zj_manager)
    assert (figures["reporting"], figures["improving"]) == (2, 1)
    assert figures["improving_share"] == D("0.5")
    groups = {g["code"]: g for g in figures["headline"]}
    assert (groups["defects"]["improving"], groups["defects"]["reporting"]) == (1, 1)
    assert (groups["energy"]["improving"], groups["energy"]["reporting"]) == (0, 1)
    assert groups["waste"]["reporting"] == 0 and groups["waste"]["share"] is None
    assert figures["savings_total"] == D(60000)
    assert figures["savings_median"] == D(30000)  # per enterprise: A 40,000, B 20,000
    assert (figures["trained"], figures["covered"]) == (3, 2)
    assert figures["coverage_share"] == D(2) / D(3)
    assert programme_figures(cast.sc_staff)["trained"] == 0


def test_an_unlock_reason_longer_than_the_history_keeps_is_refused(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    item = reading(enterprise, "energy_use", 10)
    review.kpi_readings_verify(acting_user=cast.zj_staff, readings=KPIReading.objects.all())
    with pytest.raises(ValidationError, match="100 characters"):
        services.kpi_reading_unlock(acting_user=cast.zj_staff, reading=item, reason="x" * 101)
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("enterprises:kpi:unlock", args=[enterprise.pk, item.pk]), {"reason": "x" * 101}
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.is_verified
