from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import IssuedCertificate, VerificationCheck


@admin.register(IssuedCertificate)
class IssuedCertificateAdmin(SimpleHistoryAdmin):
    list_display = ["code", "holder_name", "kind", "module", "partner", "issued_on", "revoked_at"]
    search_fields = ["code", "holder_name"]
    readonly_fields = ["token", "revoked_at", "revoked_by", "revocation_reason"]


@admin.register(VerificationCheck)
class VerificationCheckAdmin(admin.ModelAdmin):
    list_display = ["checked_at", "certificate", "result", "via"]
    readonly_fields = ["certificate", "checked_at", "result", "via", "client_hash", "user_agent"]
