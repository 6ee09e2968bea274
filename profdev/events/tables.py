import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from profdev.events.models import Event


class EventTable(tables.Table):
    title = tables.Column(linkify=True)
    start_date = tables.DateColumn(format="d.m.Y")
    end_date = tables.DateColumn(format="d.m.Y")
    municipality = tables.Column(verbose_name=_("Муниципалитет"), default="—")
    listed_count = tables.Column(verbose_name=_("Участников в списке"))
    participant_count = tables.Column(default="—")

    class Meta:
        model = Event
        fields = (
            "title",
            "kind",
            "level",
            "start_date",
            "end_date",
            "format",
            "municipality",
            "organizer",
            "listed_count",
            "participant_count",
        )
        order_by = ("-start_date",)
