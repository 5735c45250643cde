from django.contrib import admin

from .models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "partner",
        "status",
        "progress",
        "language",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status", "language"]
    readonly_fields = [field.name for field in ReportRun._meta.fields]

    def has_add_permission(self, request):
        return False  # runs are created through the reports page and its service
