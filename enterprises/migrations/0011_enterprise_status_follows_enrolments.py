"""Every enterprise gets the status its enrolments call for (the rule of
``enterprises.models.enrolments.enterprise_status_for``, copied here as it stands today):
statuses left "prospect" through enrolment, training and completion are corrected. The
reverse keeps the corrected statuses (the earlier ones are in the enterprises' history)."""

from django.db import migrations
from django.db.models import F

TAKING_PART = {"enrolled", "in_training", "in_consulting"}


def status_for(statuses: set, current: str) -> str:
    if statuses & TAKING_PART:
        return "active"
    if "completed" in statuses:
        return "completed"
    if "applied" in statuses:
        return "prospect"
    if "withdrawn" in statuses:
        return "withdrawn"
    return "withdrawn" if current == "withdrawn" else "prospect"


def follow_enrolments(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Enrolment = apps.get_model("enterprises", "Enrolment")
    statuses: dict = {}
    for enterprise_id, status in (
        Enrolment.objects.order_by().values_list("enterprise_id", "status").distinct()
    ):
        statuses.setdefault(enterprise_id, set()).add(status)
    changes: dict = {}
    for pk, current in Enterprise.objects.order_by().values_list("pk", "status").iterator():
        status = status_for(statuses.get(pk, set()), current)
        if status != current:
            changes.setdefault(status, []).append(pk)
    for status, ids in changes.items():
        for start in range(0, len(ids), 5000):
            Enterprise.objects.filter(pk__in=ids[start : start + 5000]).update(
                status=status, version=F("version") + 1
            )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0010_fill_kpi_latest")]

    operations = [migrations.RunPython(follow_enrolments, migrations.RunPython.noop)]
