"""Benchmark of report building and rendering (not a test: it prints figures).

    .venv/bin/python bench/report_bench.py [--enterprises 1000] [--lang en|zh-hans] [--tracemalloc]

Creates a throwaway test database (SQLite in memory, or test_<name> on PostgreSQL when
DATABASE_URL is set), seeds one partner with N enterprises using bulk_create, then times an
enterprise report and a partner report over those enterprises, build and render separately,
with the process's peak resident memory (and, with --tracemalloc, Python's peak allocation;
WeasyPrint's Pango/HarfBuzz memory is only in the resident figure).
"""

import argparse
import os
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(n: int, rng: random.Random):
    from catalogue.models import Module
    from enterprises.models import (
        EITMember,
        Enrolment,
        Enterprise,
        ImprovementProject,
        SuggestionCount,
    )
    from score_portal.models import Partner

    partner = Partner.objects.create(
        code="BENCH", name_en="Benchmark Enterprise Federation", name_zh="基准测试企业联合会"
    )
    m1, m2 = Module.objects.get(code="M1"), Module.objects.get(code="M2")
    provinces = ["Zhejiang", "Jiangsu", "Sichuan", "Guangdong", "Shandong"]
    sectors = ["C13", "C14", "C22", "C25", "C28"]
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(
                partner=partner,
                name=f"Bench Enterprise {i:05d}",
                name_zh=f"基准企业{i:05d}",
                province=rng.choice(provinces),
                sector=rng.choice(sectors),
                employees_total=rng.randint(30, 800),
                status="active",
            )
            for i in range(n)
        ]
    )
    start = date(2025, 1, 1)
    enrolments, members, projects, suggestions = [], [], [], []
    for e in enterprises:
        applied = start + timedelta(days=rng.randint(0, 300))
        enrolments.append(
            Enrolment(
                enterprise=e,
                module=m1,
                status="completed",
                applied_on=applied,
                completed_on=applied + timedelta(90),
                paid_enterprise=Decimal(6000),
                paid_ilo=Decimal(4000),
            )
        )
        if rng.random() < 0.5:
            enrolments.append(
                Enrolment(
                    enterprise=e,
                    module=m2,
                    status="in_training",
                    applied_on=applied + timedelta(120),
                    paid_enterprise=Decimal(5000),
                    paid_sponsor=Decimal(2000),
                    paid_ilo=Decimal(3000),
                )
            )
        for k in range(8):
            members.append(
                EITMember(
                    enterprise=e,
                    name=f"Member {k}",
                    role="leader" if k == 0 else "member",
                    level="manager" if k < 3 else "worker",
                    sex=rng.choice("FM"),
                )
            )
        for k in range(5):
            projects.append(
                ImprovementProject(
                    enterprise=e,
                    title=f"Project {k}",
                    status=rng.choice(["completed", "in_progress"]),
                    start_date=applied + timedelta(days=30 * k),
                    estimated_saving=Decimal(rng.randint(5, 100) * 1000),
                    realised_saving=Decimal(rng.randint(5, 120) * 1000),
                )
            )
        for month in range(12):
            made = rng.randint(0, 30)
            suggestions.append(
                SuggestionCount(
                    enterprise=e,
                    month=date(2025, month + 1, 1),
                    made=made,
                    implemented=rng.randint(0, made),
                )
            )
    for model, rows in (
        (Enrolment, enrolments),
        (EITMember, members),
        (ImprovementProject, projects),
        (SuggestionCount, suggestions),
    ):
        model.objects.bulk_create(rows, batch_size=2000)
    return partner, enterprises[0]


def measure(label: str, func, use_tracemalloc: bool):
    if use_tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    peak = ""
    if use_tracemalloc:
        peak = f", Python peak {tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MB"
        tracemalloc.stop()
    print(f"  {label:<8} {elapsed:7.2f} s, process max RSS {maxrss_mb():7.1f} MB{peak}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1000)
    parser.add_argument("--lang", default="en", choices=["en", "zh-hans"])
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils.translation import override

    from reports.builders import build_enterprise, build_partner
    from reports.rendering import render_pdf, render_xlsx

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        started = time.perf_counter()
        partner, enterprise = seed(args.enterprises, random.Random(2009))  # noqa: S311
        print(
            f"Seeded {args.enterprises} enterprises in {time.perf_counter() - started:.1f} s "
            f"({connection.vendor}); language {args.lang}"
        )
        with override(args.lang):
            # Warm up: importing matplotlib and loading the fonts are one-off costs.
            from weasyprint import HTML

            from score_portal.charts import bar_chart

            bar_chart(categories=["a"], series={"b": [1]})
            HTML(string="<p>预热 warm-up</p>").write_pdf()
            print("Enterprise report (one enterprise):")
            context = measure(
                "build",
                lambda: build_enterprise(enterprise_id=enterprise.pk, language=args.lang),
                args.tracemalloc,
            )
            pdf = measure("render", lambda: render_pdf(context), args.tracemalloc)
            print(f"  {len(pdf) / 1024:.0f} KiB PDF")
            print(f"Partner report ({args.enterprises} enterprises):")
            context = measure(
                "build",
                lambda: build_partner(partner_id=partner.pk, language=args.lang),
                args.tracemalloc,
            )
            pdf = measure("render", lambda: render_pdf(context), args.tracemalloc)
            xlsx = measure("xlsx", lambda: render_xlsx(context), args.tracemalloc)
            print(f"  {len(pdf) / 1024:.0f} KiB PDF, {len(xlsx) / 1024:.0f} KiB XLSX")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
