from django.contrib import admin

from .models import ReportRun, SubscriptionDelivery


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


@admin.register(SubscriptionDelivery)
class SubscriptionDeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries are made by the schedule and "run now"."""

    list_display = ["subscription", "period_start", "period_end", "status", "skip_reason"]
    list_filter = ["status", "skip_reason", "manual"]
    readonly_fields = [field.name for field in SubscriptionDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
