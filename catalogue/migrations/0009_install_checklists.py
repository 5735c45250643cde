"""Install version 1 of the standard SCORE checklists for the modules M1–M5 (by code), so
``migrate`` and the demo both start with them. Modules missing from a database are skipped."""

from django.db import migrations

from catalogue.checklist_seed import CHECKLISTS


def install(apps, schema_editor):
    Module = apps.get_model("catalogue", "Module")
    ChecklistVersion = apps.get_model("catalogue", "ChecklistVersion")
    ChecklistItem = apps.get_model("catalogue", "ChecklistItem")
    for code, rows in CHECKLISTS.items():
        module = Module.objects.filter(code__iexact=code).first()
        if module is None or ChecklistVersion.objects.filter(module=module).exists():
            continue
        version = ChecklistVersion.objects.create(
            module=module, number=1, change="initial"
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                version=version,
                key=key,
                theme_en=theme_en,
                theme_zh=theme_zh,
                name_en=name_en,
                name_zh=name_zh,
                order=(position + 1) * 10,
            )
            for position, (key, theme_en, theme_zh, name_en, name_zh) in enumerate(rows)
        )


def uninstall(apps, schema_editor):
    ChecklistItem = apps.get_model("catalogue", "ChecklistItem")
    ChecklistVersion = apps.get_model("catalogue", "ChecklistVersion")
    # Only checklists nobody edited or answered: version 1 alone, as installed.
    for version in ChecklistVersion.objects.filter(number=1, change="initial"):
        if not ChecklistVersion.objects.filter(module=version.module, number__gt=1).exists():
            ChecklistItem.objects.filter(version=version).delete()
            version.delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0008_assessment_checklists")]
    operations = [migrations.RunPython(install, uninstall)]
