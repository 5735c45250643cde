"""Computed figures are kept between requests (``score_portal.figures_cache``) and made stale
by any write to their data: through a model's save or delete, a service's bulk write, a
queryset update of the statuses, the materialised latest follow-ups; a cached figure always
equals the live computation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import KPIDefinition, Module
from enterprises.models import Enterprise, KPILatest, KPIReading
from enterprises.services import enterprise_statuses_sync
from enterprises.services.kpi import kpi_latest_refresh
from reports.indicators import indicator_values, value_of
from score_portal.figures_cache import KEEP_ROWS, figures_changed, figures_version
from score_portal.models import FiguresChange
from score_portal.services import bulk_create_as

from .factories import EnrolmentFactory, EnterpriseFactory

D = dt.date
YEAR = {"period_from": D(2026, 1, 1), "period_to": D(2026, 12, 31), "today": D(2026, 6, 1)}


def _values(user, codes):
    return indicator_values(user, codes, by="partner", **YEAR)


def _live(settings, user, codes):
    settings.FIGURES_CACHE_SECONDS = 0
    try:
        return _values(user, codes)
    finally:
        settings.FIGURES_CACHE_SECONDS = 600


def _queries(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, len(queries)


def test_a_second_computation_is_read_from_the_cache_and_equals_the_live_one(cast, settings):
    EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj), applied_on=D(2026, 2, 1))
    codes = ["enterprises_reached", "enterprises_registered", "workshops_held", "visits_done"]
    first, computed = _queries(lambda: _values(cast.programme, codes))
    second, cached = _queries(lambda: _values(cast.programme, codes))
    assert second == first == _live(settings, cast.programme, codes)
    assert value_of(second, "enterprises_reached", cast.zj.pk) == 1
    assert cached == 1  # the version only
    assert computed > cached


def test_a_save_makes_the_figures_stale(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    before = _values(cast.programme, ["enterprises_reached", "enterprises_active"])
    assert value_of(before, "enterprises_reached", cast.zj.pk) == 0
    EnrolmentFactory(enterprise=enterprise, applied_on=D(2026, 2, 1))
    after = _values(cast.programme, ["enterprises_reached", "enterprises_active"])
    assert value_of(after, "enterprises_reached", cast.zj.pk) == 1
    enterprise.delete()
    gone = _values(cast.programme, ["enterprises_reached", "enterprises_active"])
    assert value_of(gone, "enterprises_reached", cast.zj.pk) == 0


def test_bulk_writes_and_queryset_updates_make_the_figures_stale(cast):
    enterprise = EnterpriseFactory(partner=cast.zj, status=Enterprise.Status.PROSPECT)
    codes = ["enterprises_registered", "enterprises_prospect", "enterprises_completed"]
    assert value_of(_values(cast.programme, codes), "enterprises_registered", cast.zj.pk) == 1
    bulk_create_as(Enterprise, [Enterprise(partner=cast.zj, name="Bulk Co")], cast.programme)
    assert value_of(_values(cast.programme, codes), "enterprises_registered", cast.zj.pk) == 2
    EnrolmentFactory(enterprise=enterprise, status="completed", applied_on=D(2026, 2, 1))
    Enterprise.objects.filter(pk=enterprise.pk).update(status=Enterprise.Status.PROSPECT)
    assert enterprise_statuses_sync(enterprise_ids=[enterprise.pk]) == 1  # queryset update
    values = _values(cast.programme, codes)
    assert value_of(values, "enterprises_completed", cast.zj.pk) == 1
    assert value_of(values, "enterprises_prospect", cast.zj.pk) == 1  # the bulk one


def test_a_refresh_of_the_latest_follow_ups_makes_the_figures_stale(cast):
    kpi = KPIDefinition.objects.get(code="defect_rate")
    enterprise = EnterpriseFactory(partner=cast.zj)
    EnrolmentFactory(enterprise=enterprise, applied_on=D(2026, 2, 1), status="in_consulting")
    readings = [
        KPIReading(
            enterprise=enterprise,
            kpi=kpi,
            kind=kind,
            period_start=D(2026, 1, 1),
            period_end=end,
            value=value,
        )
        for kind, end, value in (("baseline", D(2026, 1, 31), 5), ("follow_up", D(2026, 6, 30), 4))
    ]
    KPIReading.objects.bulk_create(readings)  # no signals: KPILatest is not refreshed yet
    assert not KPILatest.objects.filter(enterprise=enterprise).exists()
    before = _values(cast.programme, ["improving_share"])
    assert value_of(before, "improving_share", cast.zj.pk) is None
    kpi_latest_refresh(enterprise_ids=[enterprise.pk])
    after = _values(cast.programme, ["improving_share"])
    assert value_of(after, "improving_share", cast.zj.pk) == 1


def test_each_user_reads_their_own_scope(cast):
    EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj), applied_on=D(2026, 2, 1))
    EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.sc), applied_on=D(2026, 2, 1))
    programme = indicator_values(cast.programme, ["enterprises_reached"], **YEAR)
    partner = indicator_values(cast.zj_manager, ["enterprises_reached"], **YEAR)
    internal = indicator_values(None, ["enterprises_reached"], **YEAR)
    assert value_of(programme, "enterprises_reached") == 2
    assert value_of(partner, "enterprises_reached") == 1
    assert value_of(internal, "enterprises_reached") == 2


def test_the_version_changes_with_every_write_and_old_changes_are_pruned(db, settings):
    versions = {figures_version()}
    for _index in range(3):
        figures_changed()
        versions.add(figures_version())
    assert len(versions) == 4
    FiguresChange.objects.bulk_create([FiguresChange() for _index in range(2 * KEEP_ROWS + 5)])
    from score_portal.figures_cache import _prune

    _prune()
    assert FiguresChange.objects.count() <= KEEP_ROWS + 1
    assert figures_version() not in versions


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the suite's convention
def test_an_uncommitted_write_changes_the_version_only_when_it_commits(settings):
    """Another connection (a reader) sees the change only with the data it goes with."""
    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        # SQLite's shared in-memory test database locks the table for a second connection
        pytest.skip("two connections with a write in flight: PostgreSQL's behaviour")

    from score_portal.models import Partner

    reader = connections.create_connection("default")
    try:

        def read():
            with reader.cursor() as cursor:
                cursor.execute("SELECT MAX(id), COUNT(*) FROM score_portal_figureschange")
                return cursor.fetchone()

        before = read()
        with transaction.atomic():
            Partner.objects.create(code="TX", name_en="Transaction partner")
            assert read() == before  # not committed: neither the partner nor the change
        assert read() != before
    finally:
        reader.close()


def test_the_dashboard_and_home_run_fewer_queries_once_computed(client, cast):
    """The page's figures come from the cache until the next write: the same page, fewer
    queries, the same figures."""
    m1 = Module.objects.get(code="M1")
    EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj),
        module=m1,
        applied_on=D(2026, 2, 1),
        paid_enterprise=Decimal(100),
    )
    client.force_login(cast.programme)
    client.get(reverse("home"))  # the first request of a session reads the profile once
    for name, params in (("reports:dashboard", {"year": 2026}), ("home", {})):
        url = reverse(name)
        figures_changed()
        first, cold = _queries(lambda u=url, p=params: client.get(u, p))
        second, warm = _queries(lambda u=url, p=params: client.get(u, p))
        assert first.status_code == second.status_code == 200
        assert warm < cold, (name, warm, cold)
        assert first.context.get("figures") == second.context.get("figures")
        assert first.context.get("provinces") == second.context.get("provinces")


def test_the_refresh_command_makes_the_figures_stale(cast):
    """After data loaded around the services (raw SQL here), ``figures_refresh``."""
    from django.core.management import call_command

    EnterpriseFactory(partner=cast.zj)
    codes = ["enterprises_registered"]
    assert value_of(_values(cast.programme, codes), "enterprises_registered", cast.zj.pk) == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE enterprises_enterprise SET partner_id = %s WHERE partner_id = %s",
            [cast.sc.pk, cast.zj.pk],
        )
    assert value_of(_values(cast.programme, codes), "enterprises_registered", cast.zj.pk) == 1
    call_command("figures_refresh", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert value_of(_values(cast.programme, codes), "enterprises_registered", cast.zj.pk) == 0


def test_links_between_trainers_and_partners_count_and_bookkeeping_does_not(cast):
    from score_portal.models import FormSubmission
    from tests.factories import TrainerFactory

    trainer = TrainerFactory(partners=[cast.zj])
    before = FiguresChange.objects.count()
    trainer.partners.add(cast.sc)  # the m2m link the certified trainers per partner read
    assert FiguresChange.objects.count() == before + 1
    FormSubmission.objects.create(token="t" * 32, user=cast.zj_staff)
    assert FiguresChange.objects.count() == before + 1
