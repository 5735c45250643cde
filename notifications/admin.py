from django.contrib import admin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "status", "email", "due_on", "sent_at", "attempts"]
    list_filter = ["kind", "status"]
    search_fields = ["key", "email"]


admin.site.register(Preference)
