from django.contrib import admin

from .models import KPIDefinition, Module


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_en",
        "name_zh",
        "classroom_days",
        "planned_visits",
        "is_entry",
        "is_active",
        "order",
    ]
    list_editable = ["order"]
    search_fields = ["code", "name_en", "name_zh"]


@admin.register(KPIDefinition)
class KPIDefinitionAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_en",
        "name_zh",
        "unit",
        "unit_zh",
        "direction",
        "is_active",
        "order",
    ]
