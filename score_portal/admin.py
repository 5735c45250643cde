from django.contrib import admin

from .models import Membership, Partner


class ReadOnlyMixin:
    """Access is granted and ended only by ``score_portal.memberships`` (the People pages),
    which check the acting user's reach and keep the history: the admin only shows it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyMixin, admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_en", "name_zh"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "role", "partner"]
    list_filter = ["role", "partner"]
    search_fields = ["user__username", "partner__code"]
