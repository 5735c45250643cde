"""Demo targets: this year's and last year's targets for every active partner, per
indicator of the register, with quarterly and per-sex targets for participants
(idempotent)."""

from decimal import Decimal

from django.utils import timezone

from catalogue.models import Module
from demo.context import SeedContext
from reports.models import Target
from score_portal.models import Partner

INCREMENTAL, CUMULATIVE = Target.Kind.INCREMENTAL, Target.Kind.CUMULATIVE


def seed_targets(ctx: SeedContext) -> None:
    this_year = timezone.localdate().year
    modules = list(Module.objects.filter(code__in=["M1", "M2"]))
    # (indicator, module id, sex, quarter): (value, kind)
    values = {
        ("participants", None, "", 0): (300, INCREMENTAL),
        ("participants", None, "women", 0): (90, INCREMENTAL),
        ("participants", None, "men", 0): (210, INCREMENTAL),
        **{("participants", None, "", q): (75, INCREMENTAL) for q in (1, 2, 3, 4)},
        ("participants_women_share", None, "", 0): (30, INCREMENTAL),
        ("visits_done", None, "", 0): (150, INCREMENTAL),
        ("trainers_certified", None, "", 0): (12, CUMULATIVE),
        ("cost_recovery", None, "", 0): (40, INCREMENTAL),
        ("improving_share", None, "", 0): (80, CUMULATIVE),
        **{
            ("enterprises_trained", m.pk, "", 0): (30 if m.code == "M1" else 15, INCREMENTAL)
            for m in modules
        },
    }
    for partner in Partner.objects.filter(is_active=True):
        for year in (this_year - 1, this_year):
            for (code, module_id, sex, quarter), (value, kind) in values.items():
                Target.objects.get_or_create(
                    partner=partner,
                    indicator=code,
                    year=year,
                    quarter=quarter,
                    module_id=module_id,
                    sex=sex,
                    defaults={"value": Decimal(value), "kind": kind},
                )
    ctx.log("Targets for this year and last year.")
