"""Planned visits that fell on a weekend or a public holiday (the plan used to count calendar
days) move to the next working day. Recorded and cancelled visits keep their dates. The
reverse does nothing: the old dates were never meant, and nothing depends on them."""

from django.db import migrations


def move_to_working_days(apps, schema_editor):
    from score_portal.workdays import is_working_day, next_working_day

    ConsultingVisit = apps.get_model("trainers", "ConsultingVisit")
    planned = ConsultingVisit.objects.filter(status="planned", planned_date__isnull=False)
    for visit in planned.only("pk", "planned_date").iterator():
        if not is_working_day(visit.planned_date):
            ConsultingVisit.objects.filter(pk=visit.pk).update(
                planned_date=next_working_day(visit.planned_date)
            )


class Migration(migrations.Migration):
    dependencies = [("trainers", "0004_teaching_team_history")]

    operations = [
        migrations.RunPython(move_to_working_days, migrations.RunPython.noop, elidable=True)
    ]
