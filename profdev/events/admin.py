from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from profdev.events.models import Event, EventParticipation


class ParticipationInline(admin.TabularInline):
    model = EventParticipation
    raw_id_fields = ("teacher", "organization")
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "level", "start_date", "end_date", "municipality")
    list_filter = ("kind", "level", "format")
    search_fields = ("title", "organizer")
    date_hierarchy = "start_date"
    raw_id_fields = ("organizer_organization",)
    inlines = [ParticipationInline]


@admin.register(EventParticipation)
class EventParticipationAdmin(SimpleHistoryAdmin):
    list_display = ("event", "teacher", "organization", "role")
    raw_id_fields = ("event", "teacher", "organization")
