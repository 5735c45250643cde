"""Fill KPILatest (the baseline and latest follow-up per enterprise and KPI) for the readings
already there. The reverse empties it (the schema migration before drops the table)."""

from django.db import migrations

CHUNK = 5000


def fill(apps, schema_editor):
    KPIReading = apps.get_model("enterprises", "KPIReading")
    KPILatest = apps.get_model("enterprises", "KPILatest")
    KPILatest.objects.all().delete()
    pairs: dict = {}
    latest_key: dict = {}
    rows = (
        KPIReading.objects.order_by()
        .values_list("pk", "enterprise_id", "kpi_id", "kind", "period_end", "value")
        .iterator(chunk_size=CHUNK)
    )
    for pk, enterprise_id, kpi_id, kind, period_end, value in rows:
        key = (enterprise_id, kpi_id)
        pair = pairs.get(key)
        if pair is None:
            pair = pairs[key] = KPILatest(enterprise_id=enterprise_id, kpi_id=kpi_id)
        if kind == "baseline":
            pair.baseline_id, pair.baseline_value = pk, value
            continue
        pair.follow_ups += 1
        if key not in latest_key or (period_end, pk) > latest_key[key]:
            latest_key[key] = (period_end, pk)
            pair.latest_id, pair.latest_value = pk, value
    KPILatest.objects.bulk_create(pairs.values(), batch_size=CHUNK)


def empty(apps, schema_editor):
    apps.get_model("enterprises", "KPILatest").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0009_kpi_latest")]

    operations = [migrations.RunPython(fill, empty)]
