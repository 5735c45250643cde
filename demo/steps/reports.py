"""Demo targets: this year's targets for every active partner (idempotent)."""

from decimal import Decimal

from django.utils import timezone

from catalogue.models import Module
from demo.context import SeedContext
from reports.models import Target
from score_portal.models import Partner


def seed_targets(ctx: SeedContext) -> None:
    year = timezone.localdate().year
    modules = list(Module.objects.filter(code__in=["M1", "M2"]))
    for partner in Partner.objects.filter(is_active=True):
        values = {
            (Target.Metric.PARTICIPANTS, None): 300,
            (Target.Metric.WOMEN_SHARE, None): 30,
            (Target.Metric.VISITS, None): 150,
            (Target.Metric.CERTIFIED_TRAINERS, None): 12,
            (Target.Metric.COST_RECOVERY, None): 40,
            (Target.Metric.IMPROVING_SHARE, None): 80,
            **{
                (Target.Metric.ENTERPRISES_TRAINED, m.pk): 30 if m.code == "M1" else 15
                for m in modules
            },
        }
        for (metric, module_id), value in values.items():
            Target.objects.get_or_create(
                partner=partner,
                year=year,
                metric=metric,
                module_id=module_id,
                defaults={"value": Decimal(value)},
            )
    ctx.log("Targets for this year.")
