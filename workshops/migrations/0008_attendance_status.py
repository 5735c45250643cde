"""Attendance gets a status (present, late, excused, absent); ``present`` keeps meaning
"attended" (present or late). Rows recorded before get present or absent from ``present``."""

from django.conf import settings
from django.db import migrations, models


def status_from_present(apps, schema_editor):
    Attendance = apps.get_model("workshops", "Attendance")
    Attendance.objects.filter(status="", present=True).update(status="present")
    Attendance.objects.filter(status="", present=False).update(status="absent")


def present_from_status(apps, schema_editor):
    Attendance = apps.get_model("workshops", "Attendance")
    Attendance.objects.filter(status="late").update(present=True)


class Migration(migrations.Migration):

    dependencies = [
        ('workshops', '0007_attendance_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='attendance',
            name='status',
            field=models.CharField(blank=True, choices=[('present', 'Present'), ('late', 'Late'), ('excused', 'Excused'), ('absent', 'Absent')], default='', max_length=10, verbose_name='attendance'),
        ),
        migrations.AddField(
            model_name='historicalattendance',
            name='status',
            field=models.CharField(blank=True, choices=[('present', 'Present'), ('late', 'Late'), ('excused', 'Excused'), ('absent', 'Absent')], default='', max_length=10, verbose_name='attendance'),
        ),
        migrations.AlterField(
            model_name='attendance',
            name='present',
            field=models.BooleanField(default=False, verbose_name='attended'),
        ),
        migrations.AlterField(
            model_name='historicalattendance',
            name='present',
            field=models.BooleanField(default=False, verbose_name='attended'),
        ),
        migrations.RunPython(status_from_present, present_from_status),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.CheckConstraint(condition=models.Q(('status', ''), models.Q(('present', True), ('status__in', ['present', 'late'])), models.Q(('present', False), ('status__in', ['excused', 'absent'])), _connector='OR'), name='attendance_present_follows_status'),
        ),
    ]
