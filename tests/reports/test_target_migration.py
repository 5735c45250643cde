"""Migration 0006 turns the seven yearly metrics into indicator codes of the register and
keeps every target and every history row; going back restores the metrics. (Transactional,
with the seeded rows serialized and restored, so later tests still find the modules.)"""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reports.indicators import REGISTER

pytestmark = pytest.mark.embedded  # the upgrade path, also in the SQLite pass

BEFORE = [("reports", "0005_report_subscriptions")]
AFTER = [("reports", "0006_targets_per_indicator")]
OLD = {
    "enterprises_trained": ("enterprises_trained", "incremental"),
    "participants": ("participants", "incremental"),
    "women_share": ("participants_women_share", "incremental"),
    "visits": ("visits_done", "incremental"),
    "certified_trainers": ("trainers_certified", "cumulative"),
    "cost_recovery": ("cost_recovery", "incremental"),
    "improving_share": ("improving_share", "cumulative"),
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_old_target_becomes_a_target_of_its_indicator(cast):
    old = _migrate(BEFORE)
    Partner = old.get_model("score_portal", "Partner")
    Module = old.get_model("catalogue", "Module")
    Target = old.get_model("reports", "Target")
    HistoricalTarget = old.get_model("reports", "HistoricalTarget")
    zj = Partner.objects.get(pk=cast.zj.pk)
    m1 = Module.objects.get(code="M1")
    for index, metric in enumerate(OLD):
        target = Target.objects.create(
            partner=zj,
            year=2025,
            metric=metric,
            module=m1 if metric == "enterprises_trained" else None,
            value=Decimal(10 + index),
        )
        HistoricalTarget.objects.create(
            id=target.pk,
            partner=zj,
            year=2025,
            metric=metric,
            module=target.module,
            value=target.value,
            updated_at=target.updated_at,
            history_date=target.updated_at,
            history_type="+",
        )
    new = _migrate(AFTER)
    try:
        rows = {
            (t.indicator, t.kind, t.quarter, t.sex, t.module_id, t.value)
            for t in new.get_model("reports", "Target").objects.all()
        }
        assert rows == {
            (code, kind, 0, "", m1.pk if metric == "enterprises_trained" else None, Decimal(10 + i))
            for i, (metric, (code, kind)) in enumerate(OLD.items())
        }
        assert all(code in REGISTER for code, *_rest in rows)
        history = new.get_model("reports", "HistoricalTarget").objects.all()
        assert sorted(h.indicator for h in history) == sorted(code for code, _k in OLD.values())
        # And back: the metrics return, every row kept.
        back = _migrate(BEFORE)
        assert sorted(
            back.get_model("reports", "Target").objects.values_list("metric", flat=True)
        ) == sorted(OLD)
        assert back.get_model("reports", "HistoricalTarget").objects.count() == len(OLD)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
