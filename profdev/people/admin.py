from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from profdev.people.models import CenterStaff, Employment, Subject, Teacher


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Teacher)
class TeacherAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "middle_name", "qualification_category")
    search_fields = ("last_name", "first_name", "snils")


@admin.register(Employment)
class EmploymentAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "organization", "position", "start_date", "end_date")
    raw_id_fields = ("teacher", "organization")


@admin.register(CenterStaff)
class CenterStaffAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "position", "start_date", "end_date")
