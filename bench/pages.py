"""Page benchmark at programme scale (not a test: it prints figures and writes JSON).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/score_bench .venv/bin/python bench/pages.py

Migrates the database named by DATABASE_URL (a database of its own: it is filled with the
large demo data), seeds `seed_demo --scale large` unless the data is already there (the seed
time is printed when it runs; --reseed forces it), then requests each main page repeatedly
through Django's test client as the role that uses it and prints, per page, the median and
p95 latency and the SQL query count, beside the Django admin changelist for Enterprise on
the same data, then every dashboard and home page again with its ratio to the admin
changelist's median (--key-pages measures only those), and once more each right after a
write to their data (the figures computed rather than read from the figures cache). Then
it times the import of a 10,000-row XLSX. Figures go to bench/results/pages-<time>.json so
runs can be compared.
"""

import argparse
import io
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Measure what production runs: DEBUG off (cached templates, no query log).
os.environ.setdefault("DEBUG", "false")


def measure(client, url: str, repeat: int, before=None) -> dict:
    """``before``: called ahead of each timed request, outside the timing (``figures_changed``
    measures the page computing its figures, as after a write)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm caches and connections
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings, queries = [], 0
    for _ in range(repeat):
        if before:
            before()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "queries": queries,
    }


def pages() -> list[tuple[str, str, str]]:
    """(label, username, url) of the main pages, on the large demo data."""
    from catalogue.models import Module
    from enterprises.models import Enterprise
    from score_portal.models import Partner
    from trainers.models import ConsultingVisit
    from workshops.models import Workshop

    zj = Partner.objects.get(code="ZJ")
    m1 = Module.objects.get(code="M1").pk
    enterprise = (
        Enterprise.objects.filter(partner=zj, kpi_readings__isnull=False).order_by("pk").first()
    )
    workshop = Workshop.objects.filter(partner=zj, status="held").order_by("pk").first()
    visit = ConsultingVisit.objects.filter(enrolment__enterprise__partner=zj).first()
    zj_pages = Enterprise.objects.filter(partner=zj).count() // 25
    all_pages = Enterprise.objects.count() // 25
    result = [
        ("enterprise list, staff, page 1", "zj-staff", "/enterprises/"),
        ("enterprise list, staff, deep page", "zj-staff", f"/enterprises/?page={zj_pages}"),
        (
            "enterprise list, staff, filtered",
            "zj-staff",
            f"/enterprises/?province=Zhejiang&module={m1}&enrolment_status=completed&sort=-employees",
        ),
        ("enterprise list, programme, page 1", "programme", "/enterprises/"),
        ("enterprise list, programme, deep page", "programme", f"/enterprises/?page={all_pages}"),
        ("enterprise list, programme, search", "programme", "/enterprises/?q=Textile"),
        ("enterprise hub", "zj-staff", f"/enterprises/{enterprise.pk}/"),
        ("enterprise KPIs", "zj-staff", f"/enterprises/{enterprise.pk}/kpis/"),
        ("workshop list", "zj-staff", "/workshops/?when=all"),
        ("workshop page", "zj-staff", f"/workshops/{workshop.pk}/"),
        ("trainer list", "zj-staff", "/trainers/"),
        ("report list", "zj-manager", "/reports/"),
    ]
    if visit:
        result.append(("visit page", "zj-staff", f"/visits/{visit.pk}/"))
    return [*key_pages(), *result]


def key_pages() -> list[tuple[str, str, str]]:
    """Every dashboard and home page, as the role that uses it (issue 14: each at or below
    the admin changelist's median in the same run, in a fixed number of queries)."""
    from django.urls import NoReverseMatch, reverse

    homes = [
        ("home, programme manager", "programme", "/"),
        ("home, partner manager", "zj-manager", "/"),
        ("home, partner staff", "zj-staff", "/"),
        ("home, trainer", "zj-trainer", "/"),
    ]
    try:
        dashboard = reverse("reports:dashboard")
    except NoReverseMatch:  # the dashboard may not exist in this version
        return homes
    return [
        ("dashboard, programme manager", "programme", dashboard),
        ("dashboard, partner manager", "zj-manager", dashboard),
        ("dashboard, partner staff", "zj-staff", dashboard),
        *homes,
    ]


KEY_PAGES = ("dashboard, ", "home, ")


def import_10000(rows: int = 10_000) -> dict:
    from django.contrib.auth import get_user_model
    from openpyxl import Workbook

    from enterprises.models import Enterprise
    from enterprises.transfer.importing import run_import
    from enterprises.transfer.parsing import parse
    from score_portal.models import Membership, Partner, Role

    partner, _ = Partner.objects.get_or_create(
        code="BENCHIMP",
        defaults={"name_en": "Import Benchmark Federation", "name_zh": "导入基准测试联合会"},
    )
    user, _ = get_user_model().objects.get_or_create(username="bench-importer")
    Membership.objects.get_or_create(
        user=user, partner=partner, defaults={"role": Role.PARTNER_STAFF}
    )
    Enterprise.objects.filter(partner=partner).delete()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "name",
            "name_zh",
            "province",
            "city",
            "sector",
            "employees_total",
            "employees_women",
            "status",
            "module",
            "enrolment_status",
            "applied_on",
        ]
    )
    for n in range(rows):
        sheet.append(
            [
                f"Import Bench Co {n:05d}",
                f"导入测试企业{n:05d}",
                "Zhejiang",
                "Huzhou",
                "C13",
                100 + n % 300,
                40,
                "active",
                "M1",
                "enrolled",
                "2026-03-01",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    started = time.perf_counter()
    parsed = parse(buffer, "bench.xlsx")
    parsed_at = time.perf_counter()
    result = run_import(acting_user=user, partner=partner, parsed=parsed, dry_run=False)
    finished = time.perf_counter()
    created = Enterprise.objects.filter(partner=partner).count()
    Enterprise.objects.filter(partner=partner).delete()
    return {
        "rows": rows,
        "parse_s": round(parsed_at - started, 2),
        "import_s": round(finished - parsed_at, 2),
        "total_s": round(finished - started, 2),
        "created": created,
        "errors": getattr(result, "errors", None) and len(result.errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument(
        "--key-pages",
        action="store_true",
        help="only the dashboards and home pages (and the admin changelist), no import",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (it gets large data).")

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from enterprises.models import Enterprise

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    figures: dict = {"started": datetime.now().isoformat(timespec="seconds")}
    if args.reseed or Enterprise.objects.count() < 9_000:
        started = time.perf_counter()
        call_command("seed_demo", scale="large", stdout=io.StringIO())
        figures["seed_large_s"] = round(time.perf_counter() - started, 1)
        print(f"seed_demo --scale large: {figures['seed_large_s']} s")
    from django.db import connection

    # Measure the steady state autovacuum keeps in production: fresh statistics and
    # visibility map (migrations may just have filled tables).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    from enterprises.models import KPIReading
    from trainers.models import ConsultingVisit, Trainer
    from workshops.models import Participant, Workshop

    figures["data"] = {
        "enterprises": Enterprise.objects.count(),
        "trainers": Trainer.objects.count(),
        "workshops": Workshop.objects.count(),
        "participants": Participant.objects.count(),
        "visits": ConsultingVisit.objects.count(),
        "kpi_readings": KPIReading.objects.count(),
    }
    print("Data:", ", ".join(f"{k} {v:,}" for k, v in figures["data"].items()))

    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    clients: dict[str, Client] = {}

    def client_for(username: str) -> Client:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        return clients[username]

    rows = []
    baseline = [
        ("admin changelist, page 1", "bench-admin", "/admin/enterprises/enterprise/"),
        (
            "admin changelist, deep page",
            "bench-admin",
            f"/admin/enterprises/enterprise/?p={Enterprise.objects.count() // 100 - 1}",
        ),
        ("admin changelist, search", "bench-admin", "/admin/enterprises/enterprise/?q=Textile"),
    ]
    admin.save()
    measured = key_pages() if args.key_pages else pages()
    for label, username, url in [*measured, *baseline]:
        result = measure(client_for(username), url, args.repeat)
        rows.append({"page": label, "url": url, **result})
    admin_median = statistics.median(
        r["median_ms"] for r in rows if r["page"].startswith("admin changelist")
    )
    print(f"\n{'page':<42} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'÷admin':>7}")
    for row in rows:
        ratio = row["median_ms"] / admin_median if admin_median else 0
        row["ratio_to_admin"] = round(ratio, 2)
        print(
            f"{row['page']:<42} {row['median_ms']:>10} {row['p95_ms']:>8} "
            f"{row['queries']:>8} {ratio:>7.2f}"
        )
    figures["pages"] = rows
    figures["admin_median_ms"] = admin_median
    print(f"\nDashboards and homes beside the admin changelist (median {admin_median} ms):")
    print(f"{'page':<42} {'median ms':>10} {'queries':>8} {'÷admin':>7}")
    for row in rows:
        if row["page"].startswith(KEY_PAGES):
            verdict = "ok" if row["ratio_to_admin"] <= 1.0 else "SLOWER"
            print(
                f"{row['page']:<42} {row['median_ms']:>10} {row['queries']:>8} "
                f"{row['ratio_to_admin']:>7.2f}  {verdict}"
            )
    # The same pages right after a write to their data: the figures are computed, not read
    # from the cache (score_portal.figures_cache), as the first reader after a change sees.
    from score_portal.figures_cache import figures_changed

    print(
        "\nThe same, each request right after a write (figures computed, not cached):\n"
        f"{'page':<42} {'median ms':>10} {'queries':>8} {'÷admin':>7}"
    )
    figures["computed"] = []
    for label, username, url in measured:
        if not label.startswith(KEY_PAGES):
            continue
        result = measure(client_for(username), url, args.repeat, before=figures_changed)
        ratio = result["median_ms"] / admin_median if admin_median else 0
        figures["computed"].append({"page": label, "url": url, **result, "ratio": round(ratio, 2)})
        print(f"{label:<42} {result['median_ms']:>10} {result['queries']:>8} {ratio:>7.2f}")
    if not args.skip_import and not args.key_pages:
        figures["import"] = import_10000(args.import_rows)
        print(
            f"\nImport of {figures['import']['rows']:,} XLSX rows: "
            f"{figures['import']['total_s']} s (parse {figures['import']['parse_s']} s), "
            f"{figures['import']['created']:,} enterprises created"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"pages-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(figures, indent=2, default=str))
    print(f"\nFigures written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
