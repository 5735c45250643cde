"""Install the usual SCORE KPIs (names as Chinese federations write them)."""

from django.db import migrations

# code, English, Chinese, unit, direction, normalisation, module, min, max, headline
KPIS = [
    ("productivity", "Labour productivity", "劳动生产率", "units/worker/month", "up",
     "per_worker", "M2", 0, None, ""),
    ("defect_rate", "Defect rate", "不良品率", "%", "down", "share", "M2", 0, 100, "defects"),
    ("waste", "Waste", "废弃物", "kg/unit", "down", "per_output", "M3", 0, None, "waste"),
    ("energy_use", "Energy use", "能耗", "kWh/unit", "down", "per_output", "M3", 0, None,
     "energy"),
    ("cost_savings", "Cost savings", "节约成本", "CNY/month", "up", "none", None, 0, None,
     "cost"),
    ("on_time_delivery", "On-time delivery", "准时交货率", "%", "up", "share", "M2", 0, 100, ""),
    ("absenteeism", "Absenteeism", "缺勤率", "%", "down", "share", "M4", 0, 100, ""),
    ("staff_turnover", "Staff turnover", "员工流失率", "%/year", "down", "share", "M4", 0, 300,
     ""),
    ("accidents", "Accidents", "事故", "per 200,000 h", "down", "per_200k_hours", "M5", 0, None,
     "accidents"),
    ("near_misses", "Near misses reported", "未遂事件报告", "per month", "up", "none", "M5", 0,
     None, ""),
    ("suggestions_made", "Worker suggestions made", "员工合理化建议（提出）", "per month", "up",
     "none", "M1", 0, None, ""),
    ("suggestions_implemented", "Worker suggestions implemented", "员工合理化建议（采纳）",
     "per month", "up", "none", "M1", 0, None, ""),
    ("improvement_projects", "Improvement projects", "改善项目", "count", "up", "none", "M1", 0,
     None, ""),
    ("employees", "Employees", "员工人数", "people", "up", "none", None, 0, 100000, ""),
    ("women_share", "Share of women", "女性员工比例", "%", "up", "share", None, 0, 100, ""),
]


def install(apps, schema_editor):
    KPIDefinition = apps.get_model("enterprises", "KPIDefinition")
    Module = apps.get_model("workshops", "Module")
    modules = {m.code: m for m in Module.objects.all()}
    for order, (code, en, zh, unit, direction, norm, module, low, high, headline) in \
            enumerate(KPIS, 1):
        KPIDefinition.objects.update_or_create(code=code, defaults={
            "name_en": en, "name_zh": zh, "unit": unit, "direction": direction,
            "normalisation": norm, "module": modules.get(module), "plausible_min": low,
            "plausible_max": high, "headline": headline, "order": order * 10})


def uninstall(apps, schema_editor):
    apps.get_model("enterprises", "KPIDefinition").objects.filter(
        code__in=[k[0] for k in KPIS]).delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_kpi_catalogue_and_readings"),
                    ("workshops", "0002_install_core_modules")]

    operations = [migrations.RunPython(install, uninstall)]
