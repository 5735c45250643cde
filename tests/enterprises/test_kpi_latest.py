"""The materialised latest follow-up per enterprise and KPI (KPILatest): right after every
write of a reading (record, two follow-ups, edit, move, delete, verify and unlock, the
admin, a cascade), rebuilt by the repair command and the data migration, and the fast
programme figures equal to a straightforward computation from the readings on a
random-ish world, in a fixed number of queries whatever the data size."""

import datetime
import importlib
import random
from decimal import Decimal

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command

from catalogue.models import KPIDefinition
from enterprises.models import Enrolment, Enterprise, KPILatest, KPIReading
from enterprises.selectors.kpi import (
    HEADLINES,
    enterprises_missing_kpis,
    improvement_pairs,
    kpi_figures_by_partner,
    programme_figures,
)
from enterprises.services import kpi as services
from enterprises.services import review
from score_portal.models import Role
from tests.factories import EnrolmentFactory, EnterpriseFactory, user_with_role

pytestmark = pytest.mark.django_db
D = Decimal


def kpi(code):
    return KPIDefinition.objects.get(code=code)


def record(cast, enterprise, code, value, kind="follow_up", month=6, day=1):
    start = datetime.date(2026, month, day)
    return services.kpi_reading_record(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        kpi=kpi(code),
        kind=kind,
        period_start=start,
        period_end=start + datetime.timedelta(days=20),
        value=D(value),
        source="visit",
    )


def second_staff(cast):
    return user_with_role("zj-staff-2", Role.PARTNER_STAFF, cast.zj)


def pair(enterprise, code) -> KPILatest:
    return KPILatest.objects.get(enterprise=enterprise, kpi__code=code)


def as_rebuilt() -> set[tuple]:
    """What a rebuild from the readings gives, to compare with what was maintained."""
    return {
        (p.enterprise_id, p.kpi_id, p.baseline_id, p.latest_id, p.baseline_value, p.latest_value)
        for p in services.latest_pairs(
            KPIReading.objects.values_list(
                "pk", "enterprise_id", "kpi_id", "kind", "period_end", "value"
            )
        )
    }


def maintained() -> set[tuple]:
    return set(
        KPILatest.objects.values_list(
            "enterprise_id", "kpi_id", "baseline_id", "latest_id", "baseline_value", "latest_value"
        )
    )


def test_record_baseline_then_two_follow_ups(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    baseline = record(cast, enterprise, "defect_rate", 5, kind="baseline", month=1)
    row = pair(enterprise, "defect_rate")
    assert (row.baseline_id, row.baseline_value, row.latest_id, row.follow_ups) == (
        baseline.pk,
        D(5),
        None,
        0,
    )
    later = record(cast, enterprise, "defect_rate", 3, month=8)
    earlier = record(cast, enterprise, "defect_rate", 4, month=4)  # recorded after, earlier period
    row = pair(enterprise, "defect_rate")
    assert (row.latest_id, row.latest_value, row.follow_ups) == (later.pk, D(3), 2)
    assert row.result() == (D(-40), True)
    assert earlier.pk != row.latest_id
    assert maintained() == as_rebuilt()


def test_edit_value_and_period_of_a_follow_up(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    record(cast, enterprise, "defect_rate", 5, kind="baseline", month=1)
    first = record(cast, enterprise, "defect_rate", 4, month=4)
    second = record(cast, enterprise, "defect_rate", 3, month=8)
    services.kpi_reading_update(acting_user=cast.zj_staff, reading=second, value=D(6))
    assert pair(enterprise, "defect_rate").latest_value == D(6)
    # Moving the first follow-up after the second makes it the latest.
    services.kpi_reading_update(
        acting_user=cast.zj_staff,
        reading=first,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 20),
    )
    row = pair(enterprise, "defect_rate")
    assert (row.latest_id, row.latest_value) == (first.pk, D(4))
    assert maintained() == as_rebuilt()


def test_edit_moves_a_reading_to_another_kpi(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    record(cast, enterprise, "defect_rate", 5, kind="baseline", month=1)
    moved = record(cast, enterprise, "defect_rate", 3, month=6)
    services.kpi_reading_update(acting_user=cast.zj_staff, reading=moved, kpi=kpi("energy_use"))
    assert pair(enterprise, "defect_rate").latest_id is None
    assert pair(enterprise, "energy_use").latest_id == moved.pk
    assert maintained() == as_rebuilt()


def test_a_reading_moved_to_another_enterprise_refreshes_both(cast):
    a, b = EnterpriseFactory(partner=cast.zj), EnterpriseFactory(partner=cast.zj)
    moved = record(cast, a, "waste", 2, month=6)
    reading = KPIReading.objects.get(pk=moved.pk)
    reading.enterprise = b
    reading.save()  # as the admin would
    assert not KPILatest.objects.filter(enterprise=a).exists()
    assert pair(b, "waste").latest_id == moved.pk


def test_delete_the_latest_follow_up_and_the_baseline(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    baseline = record(cast, enterprise, "defect_rate", 5, kind="baseline", month=1)
    first = record(cast, enterprise, "defect_rate", 4, month=4)
    second = record(cast, enterprise, "defect_rate", 3, month=8)
    services.kpi_reading_delete(acting_user=cast.zj_staff, reading=second)
    row = pair(enterprise, "defect_rate")
    assert (row.latest_id, row.latest_value, row.follow_ups) == (first.pk, D(4), 1)
    services.kpi_reading_delete(acting_user=cast.zj_staff, reading=baseline)
    row = pair(enterprise, "defect_rate")
    assert (row.baseline_id, row.baseline_value) == (None, None)
    services.kpi_reading_delete(acting_user=cast.zj_staff, reading=first)
    assert not KPILatest.objects.filter(enterprise=enterprise).exists()


def test_a_queryset_delete_refreshes_too(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    record(cast, enterprise, "defect_rate", 5, kind="baseline", month=1)
    record(cast, enterprise, "defect_rate", 3, month=8)
    KPIReading.objects.filter(kind="follow_up").delete()
    assert pair(enterprise, "defect_rate").latest_id is None


def test_a_verified_reading_cannot_be_deleted(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    reading = record(cast, enterprise, "defect_rate", 3, month=8)
    review.kpi_readings_verify(
        acting_user=second_staff(cast), readings=KPIReading.objects.filter(pk=reading.pk)
    )
    with pytest.raises(ValidationError):
        services.kpi_reading_delete(acting_user=cast.zj_staff, reading=reading)
    assert pair(enterprise, "defect_rate").latest_id == reading.pk


def test_verify_and_unlock_keep_the_pair_and_skip_the_refresh(cast, django_assert_max_num_queries):
    enterprise = EnterpriseFactory(partner=cast.zj)
    record(cast, enterprise, "defect_rate", 5, kind="baseline", month=1)
    latest = record(cast, enterprise, "defect_rate", 3, month=8)
    before = maintained()
    readings = KPIReading.objects.filter(enterprise=enterprise)
    reviewer = second_staff(cast)  # nobody verifies what they entered themselves
    # Verifying changes nothing a pair depends on: no refresh (it would add four queries
    # per reading); two readings, each a history row, an update, the row that makes the
    # cached figures stale (score_portal.figures_cache) and its "verified" event (a savepoint
    # around the webhook outbox's one lookup: score_portal.events).
    with django_assert_max_num_queries(16):
        assert review.kpi_readings_verify(acting_user=reviewer, readings=readings).count == 2
    assert maintained() == before
    services.kpi_reading_unlock(acting_user=cast.zj_staff, reading=latest, reason="typo")
    services.kpi_reading_update(acting_user=cast.zj_staff, reading=latest, value=D("2.5"))
    assert pair(enterprise, "defect_rate").latest_value == D("2.5")
    assert maintained() == as_rebuilt()


def test_deleting_an_enterprise_takes_its_pairs(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    record(cast, enterprise, "defect_rate", 5, kind="baseline", month=1)
    record(cast, enterprise, "defect_rate", 3, month=8)
    enterprise.delete()
    assert not KPILatest.objects.exists() and not KPIReading.objects.exists()


def test_rebuild_command_repairs(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    record(cast, enterprise, "defect_rate", 5, kind="baseline", month=1)
    record(cast, enterprise, "defect_rate", 3, month=8)
    expected = maintained()
    # A bulk load skips the signals; a stray row of an enterprise without readings.
    KPILatest.objects.update(latest_value=D(99))
    stray = EnterpriseFactory(partner=cast.zj)
    KPILatest.objects.create(enterprise=stray, kpi=kpi("waste"))
    call_command("kpi_latest_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert maintained() == expected


def test_data_migration_fills_and_empties(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    record(cast, enterprise, "defect_rate", 5, kind="baseline", month=1)
    record(cast, enterprise, "defect_rate", 3, month=8)
    record(cast, enterprise, "energy_use", 7, month=8)
    expected = maintained()
    migration = importlib.import_module("enterprises.migrations.0010_fill_kpi_latest")
    migration.empty(global_apps, None)
    assert not KPILatest.objects.exists()
    migration.fill(global_apps, None)
    assert maintained() == expected


# --- The fast selectors against a straightforward computation --------------------------


def reference(enterprises) -> dict:
    """The programme figures computed the plain way, reading by reading."""
    ids = set(enterprises.values_list("pk", flat=True))
    kpis = {k.pk: k for k in KPIDefinition.objects.all()}
    baseline, latest, any_baseline, any_follow_up = {}, {}, set(), set()
    for r in KPIReading.objects.filter(enterprise_id__in=ids).order_by("period_end", "pk"):
        key = (r.enterprise_id, r.kpi_id)
        if r.kind == "baseline":
            baseline[key] = r.value
            any_baseline.add(r.enterprise_id)
        else:
            latest[key] = r.value  # ordered: the last one is the latest
            any_follow_up.add(r.enterprise_id)
    reporting, improving = set(), set()
    by_group = {code: (set(), set()) for code in HEADLINES}
    for key in baseline.keys() & latest.keys():
        kpi_ = kpis[key[1]]
        better = (
            latest[key] > baseline[key] if kpi_.direction == "up" else latest[key] < baseline[key]
        )
        reporting.add(key[0])
        if better:
            improving.add(key[0])
        if kpi_.headline in by_group:
            by_group[kpi_.headline][0].add(key[0])
            if better:
                by_group[kpi_.headline][1].add(key[0])
    trained = set(
        Enrolment.objects.filter(
            enterprise_id__in=ids, status__in=Enrolment.TRAINED_STATUSES
        ).values_list("enterprise_id", flat=True)
    )
    return {
        "reporting": len(reporting),
        "improving": len(improving),
        "headline": {c: (len(r), len(i)) for c, (r, i) in by_group.items()},
        "trained": len(trained),
        "covered": len(trained & any_baseline & any_follow_up),
        "pairs": len(baseline.keys() & latest.keys()),
        "missing": len(ids - (any_baseline & any_follow_up)),
    }


def build_world(cast, n: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    codes = list(KPIDefinition.objects.filter(is_active=True).values_list("code", flat=True))
    for index in range(n):
        enterprise = EnterpriseFactory(partner=cast.zj if index % 3 else cast.sc)
        status = rng.choice(["enrolled", "in_training", "in_consulting", "completed", "withdrawn"])
        EnrolmentFactory(enterprise=enterprise, status=status, withdrawal_reason="moved")
        for code in rng.sample(codes, rng.randint(0, 4)):
            if rng.random() < 0.8:
                KPIReading.objects.create(
                    enterprise=enterprise,
                    kpi=kpi(code),
                    kind="baseline",
                    value=D(rng.randint(0, 50)),
                    period_start=datetime.date(2026, 1, 1),
                    period_end=datetime.date(2026, 1, 28),
                )
            for _ in range(rng.randint(0, 3)):
                start = datetime.date(2026, rng.randint(2, 10), rng.randint(1, 20))
                KPIReading.objects.create(
                    enterprise=enterprise,
                    kpi=kpi(code),
                    kind="follow_up",
                    value=D(rng.randint(0, 50)),
                    period_start=start,
                    period_end=start + datetime.timedelta(days=rng.choice([7, 27])),
                )
    # Some edits and deletes after the fact.
    follow_ups = list(KPIReading.objects.filter(kind="follow_up").order_by("pk"))
    for reading in rng.sample(follow_ups, len(follow_ups) // 5):
        reading.value = D(rng.randint(0, 50))
        reading.save()
    for reading in rng.sample(follow_ups, len(follow_ups) // 10):
        KPIReading.objects.filter(pk=reading.pk).first().delete()


def test_fast_figures_equal_a_straightforward_computation(cast):
    build_world(cast, 60)
    assert maintained() == as_rebuilt()
    for user, enterprises in (
        (cast.programme, Enterprise.objects.all()),
        (cast.zj_manager, Enterprise.objects.filter(partner=cast.zj)),
    ):
        expected = reference(enterprises)
        figures = programme_figures(user)
        assert (figures["reporting"], figures["improving"]) == (
            expected["reporting"],
            expected["improving"],
        )
        assert expected["reporting"] > 5 and 0 < expected["improving"] < expected["reporting"]
        assert {
            g["code"]: (g["reporting"], g["improving"]) for g in figures["headline"]
        } == expected["headline"]
        assert (figures["trained"], figures["covered"]) == (
            expected["trained"],
            expected["covered"],
        )
        assert improvement_pairs(enterprises).count() == expected["pairs"]
        assert enterprises_missing_kpis(enterprises).count() == expected["missing"]
    for partner in (cast.zj, cast.sc):
        expected = reference(Enterprise.objects.filter(partner=partner))
        figures = kpi_figures_by_partner(Enterprise.objects.all())[partner.pk]
        names = ("reporting", "improving", "trained", "covered")
        assert [figures[name] for name in names] == [expected[name] for name in names]


def test_improvement_pairs_keep_their_shape(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    baseline = record(cast, enterprise, "defect_rate", 5, kind="baseline", month=1)
    record(cast, enterprise, "defect_rate", 3, month=8)
    record(cast, enterprise, "waste", 2, kind="baseline", month=1)  # no follow-up: not a pair
    rows = list(improvement_pairs(Enterprise.objects.all()))
    assert [(r.pk, r.value, r.latest, r.improved) for r in rows] == [(baseline.pk, D(5), D(3), 1)]


# --- A fixed number of queries whatever the data size -----------------------------------


@pytest.mark.parametrize("size", [4, 40])
def test_kpi_figures_run_a_fixed_number_of_queries(cast, size, django_assert_num_queries):
    build_world(cast, size, seed=size)
    enterprises = Enterprise.objects.all()
    with django_assert_num_queries(4):
        programme_figures(None, enterprises=enterprises)
    with django_assert_num_queries(3):
        kpi_figures_by_partner(enterprises)
    with django_assert_num_queries(1):
        list(improvement_pairs(enterprises))
    with django_assert_num_queries(1):
        list(enterprises_missing_kpis(enterprises))
