"""Install the five core SCORE modules (names as Chinese federations write them)."""

from django.db import migrations

CORE_MODULES = [
    ("M1", "Workplace Cooperation", "模块一 工作场所合作",
     "Cooperation between managers and workers: the Enterprise Improvement Team, "
     "suggestion schemes and 5S.", True),
    ("M2", "Quality Management", "模块二 质量管理",
     "Continuous improvement of quality: customer focus, defect reduction, problem solving.",
     False),
    ("M3", "Productivity through Cleaner Production", "模块三 生产力与清洁生产",
     "Resource efficiency: energy, water, materials and waste.", False),
    ("M4", "Workforce Management", "模块四 人力资源管理",
     "Human resources: recruitment, pay, communication and retention.", False),
    ("M5", "Occupational Safety and Health", "模块五 职业安全与健康",
     "Hazard identification, risk control and a safety culture shared by managers and workers.",
     False),
]


def install(apps, schema_editor):
    Module = apps.get_model("workshops", "Module")
    for order, (code, name_en, name_zh, description, is_entry) in enumerate(CORE_MODULES, 1):
        Module.objects.update_or_create(
            code=code,
            defaults={"name_en": name_en, "name_zh": name_zh, "description": description,
                      "classroom_days": 2, "planned_visits": 4, "is_entry": is_entry,
                      "order": order * 10},
        )


def uninstall(apps, schema_editor):
    Module = apps.get_model("workshops", "Module")
    Module.objects.filter(code__in=[code for code, *_ in CORE_MODULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("workshops", "0001_module_catalogue")]

    operations = [migrations.RunPython(install, uninstall)]
