"""Benchmark of an enterprise import (not a test: it prints figures).

    .venv/bin/python bench/import_bench.py [--rows 10000]

Creates a throwaway test database (SQLite in memory, or test_<name> on PostgreSQL when
DATABASE_URL is set), builds an XLSX list as a province sends it (Chinese synonym headers,
GB/T 4754 sector names, 私营 / 国有, provinces with and without 省), then times: reading the
file, the preview (a dry run), the import itself, and a plain ``bulk_create`` of the same
enterprises (rolled back) in the same run, and prints the ratio.
"""

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

HEADERS = [
    "序号",
    "单位详细名称（必填）",
    "统一社会信用代码",
    "所属行业",
    "所在省份",
    "所在城市",
    "注册地址",
    "职工人数",
    "其中：女",
    "成立时间",
    "企业性质",
    "联系人",
    "联系电话",
]
SECTORS = ["纺织业", "服装", "家具制造业", "33", "橡胶和塑料制品业", "通用设备制造业"]
PROVINCES = ["浙江省", "江苏", "四川省", "广东", "山东省"]
OWNERSHIP = ["私营", "民营", "国有", "集体", "外资", "合资"]


def workbook_bytes(rows: int, rng: random.Random) -> bytes:
    import openpyxl

    from enterprises.validators import uscc_check_character

    # An ordinary workbook, as Excel saves one: shared strings and the sheet's dimension.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "企业名单"
    sheet.append(["2026年SCORE项目企业名单"])
    sheet.append(HEADERS)
    for i in range(rows):
        body = f"91330{i % 10}00MA{i:07d}"
        code = body + uscc_check_character(body)
        total = rng.randint(20, 900)
        sheet.append(
            [
                i + 1,
                f"基准企业{i:05d}有限公司",
                code,
                rng.choice(SECTORS),
                rng.choice(PROVINCES),
                "湖州市",
                f"湖州市吴兴区工业路{i}号",
                total,
                rng.randint(0, total),
                rng.randint(1990, 2024),
                rng.choice(OWNERSHIP),
                "王经理",
                f"138{i:08d}",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from django.contrib.auth import get_user_model

        from enterprises.models import Enterprise
        from enterprises.transfer.importing import run_import
        from enterprises.transfer.parsing import parse
        from score_portal.models import Membership, Partner, Role

        User = get_user_model()

        partner = Partner.objects.create(code="BENCH", name_en="Bench", name_zh="基准")
        user = User.objects.create(username="bench-staff")
        Membership.objects.create(user=user, partner=partner, role=Role.PARTNER_STAFF)
        data = workbook_bytes(args.rows, random.Random(2009))  # noqa: S311
        print(f"Import of {args.rows} rows ({connection.vendor}), {len(data) / 2**20:.1f} MB XLSX")

        started = time.perf_counter()
        parsed = parse(data, "list.xlsx")
        read = time.perf_counter() - started
        assert not parsed.errors, parsed.errors
        print(f"  read the file      {read:7.2f} s")

        def timed(label, dry_run):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = run_import(
                    acting_user=user, partner=partner, parsed=parsed, dry_run=dry_run
                )
                elapsed = time.perf_counter() - started
            assert not result.has_errors, [r for r in result.rows if r.errors][:3]
            print(f"  {label:<18} {elapsed:7.2f} s, {len(queries)} queries, {result.counts}")
            return elapsed, result

        timed("preview (dry run)", True)

        # The same enterprises, plainly: bulk_create of the converted values, rolled back.
        from enterprises.transfer.importing import _Context, prepare_row

        context = _Context(parsed)
        objects = [Enterprise(partner=partner, **prepare_row(r, context)[1]) for r in parsed.rows]
        with transaction.atomic():
            started = time.perf_counter()
            Enterprise.objects.bulk_create(objects, batch_size=1000)
            plain = time.perf_counter() - started
            transaction.set_rollback(True)
        print(f"  plain bulk_create  {plain:7.2f} s")

        imported, _result = timed("import", False)
        assert Enterprise.objects.count() == args.rows
        print(f"  import / plain bulk_create: {imported / plain:.1f}x")
        print(
            f"  read + import: {read + imported:.1f} s "
            f"({'under' if read + imported < 60 else 'OVER'} 60 s)"
        )
        timed("import again", False)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
