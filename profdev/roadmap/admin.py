"""Admin for the roadmap (superusers; everyday work goes through the pages and services)."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from profdev.roadmap.models import (
    Activity,
    Campaign,
    Program,
    Reminder,
    Report,
    ReportItem,
    ReportTransition,
    ValidationRule,
    Waiver,
)


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ("number", "title", "level_regional", "level_municipal", "level_organization")
    extra = 0
    show_change_link = True


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ("title", "region", "start_year", "end_year", "order_number")
    list_filter = ("region",)
    search_fields = ("title", "order_number")
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "program", "levels_display", "indicator_code", "required")
    list_filter = ("program", "level_regional", "level_municipal", "level_organization")
    search_fields = ("number", "title", "responsible")
    ordering = ("program", "sort_key")


@admin.register(ValidationRule)
class ValidationRuleAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "message", "program")
    list_filter = ("program",)


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("title", "program", "year", "half", "deadline", "status")
    list_filter = ("status", "year", "program")
    search_fields = ("title",)


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    fields = ("at", "from_status", "to_status", "user", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "kind", "municipality", "status", "submitted_at")
    list_filter = ("status", "kind", "campaign")
    search_fields = ("organization__name", "municipality__name")
    raw_id_fields = ("campaign", "organization", "municipality")
    # status changes only through the review workflow, which records who and when
    readonly_fields = ("status", "submitted_at", "reviewed_at", "review_comment")
    inlines = [TransitionInline]


@admin.register(ReportItem)
class ReportItemAdmin(SimpleHistoryAdmin):
    list_display = ("report", "activity", "status", "updated_at")
    list_filter = ("status",)
    raw_id_fields = ("report", "activity")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ReportTransition)
class ReportTransitionAdmin(admin.ModelAdmin):
    list_display = ("report", "from_status", "to_status", "user", "at")
    list_filter = ("to_status",)
    raw_id_fields = ("report", "user")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Waiver)
class WaiverAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "campaign", "reason", "created_at")
    raw_id_fields = ("campaign", "organization", "created_by")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("report", "sent_at", "recipients")
    raw_id_fields = ("report", "sent_by")
