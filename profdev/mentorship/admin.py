"""Admin: the operator configures the rule, the thresholds and the catalogue of forms here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from profdev.mentorship.models import (
    ManagementMentoring,
    MentoringForm,
    MentorPair,
    MentorshipSettings,
    TargetModel,
)


@admin.register(MentorshipSettings)
class MentorshipSettingsAdmin(SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "rule_requires_local_act",
        "rule_requires_curator",
        "rule_requires_program",
        "rule_requires_active_pair",
        "check_in_weeks",
        "mentor_load_cap",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not MentorshipSettings.objects.exists()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.pk = 1  # a singleton
        super().save_model(request, obj, form, change)


@admin.register(MentoringForm)
class MentoringFormAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "is_active", "order")


@admin.register(TargetModel)
class TargetModelAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "local_act_number", "local_act_date", "curator")
    raw_id_fields = ("organization", "curator")


@admin.register(MentorPair)
class MentorPairAdmin(SimpleHistoryAdmin):
    list_display = ("mentor", "organization", "form", "start_date", "planned_end", "status")
    list_filter = ("status", "form")
    raw_id_fields = ("organization", "mentor", "mentees")


@admin.register(ManagementMentoring)
class ManagementMentoringAdmin(SimpleHistoryAdmin):
    list_display = ("mentor_organization", "mentee_organization", "start_date", "status")
    raw_id_fields = ("mentor_organization", "mentee_organization", "mentor_people", "mentee_people")
