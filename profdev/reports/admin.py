"""Admin for generated documents (superusers)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from profdev.reports.models import GeneratedReport


@admin.register(GeneratedReport)
class GeneratedReportAdmin(SimpleHistoryAdmin):
    list_display = ("campaign", "status", "progress", "requested_by", "created_at", "finished_at")
    list_filter = ("status",)
    raw_id_fields = ("campaign", "requested_by")
    readonly_fields = ("status", "progress", "error", "docx", "xlsx", "pdf", "finished_at")
