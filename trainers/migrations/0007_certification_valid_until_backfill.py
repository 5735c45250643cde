"""Existing certified and expert certifications without an end get one: the decision date
plus the module's validity (else CERTIFICATION_VALIDITY_MONTHS). Reversing empties only the
dates this migration set (those equal to the computed date and never renewed)."""

import datetime

from django.conf import settings
from django.db import migrations

QUALIFIED = ("certified", "expert")


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def _months(module):
    return module.certification_validity_months or settings.CERTIFICATION_VALIDITY_MONTHS


def backfill(apps, schema_editor):
    Certification = apps.get_model("trainers", "Certification")
    pending = Certification.objects.filter(
        grade__in=QUALIFIED, valid_until__isnull=True, decision_date__isnull=False
    ).select_related("module")
    for certification in pending:
        certification.valid_until = _add_months(
            certification.decision_date, _months(certification.module)
        )
        certification.save(update_fields=["valid_until"])


def unfill(apps, schema_editor):
    Certification = apps.get_model("trainers", "Certification")
    done = Certification.objects.filter(
        grade__in=QUALIFIED, renewed_on__isnull=True, decision_date__isnull=False
    ).select_related("module")
    for certification in done:
        if certification.valid_until == _add_months(
            certification.decision_date, _months(certification.module)
        ):
            certification.valid_until = None
            certification.save(update_fields=["valid_until"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0005_module_certification_validity"),
        ("trainers", "0006_certification_validity_and_warning_codes"),
    ]

    operations = [migrations.RunPython(backfill, unfill)]
