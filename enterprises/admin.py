from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    EITMember,
    Enterprise,
    ImportJob,
    ImprovementProject,
    KPIReading,
    SuggestionCount,
)


class EITMemberInline(admin.TabularInline):
    model = EITMember
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "name_zh",
        "partner",
        "province",
        "city",
        "sector",
        "employees_total",
        "status",
    ]
    list_filter = ["status", "partner", "province", "sector"]
    search_fields = ["name", "name_zh", "credit_code"]
    list_select_related = ["partner"]
    inlines = [EITMemberInline]


@admin.register(ImprovementProject)
class ImprovementProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "enterprise", "status", "realised_saving", "currency"]
    list_filter = ["status"]
    search_fields = ["title", "enterprise__name"]
    list_select_related = ["enterprise"]


@admin.register(SuggestionCount)
class SuggestionCountAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "month", "made", "implemented"]
    list_select_related = ["enterprise"]


@admin.register(KPIReading)
class KPIReadingAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "kpi", "kind", "period_end", "value", "verified_at"]
    list_filter = ["kind", "kpi"]
    list_select_related = ["enterprise", "kpi"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "partner", "status", "created_at"]
    list_filter = ["status"]
