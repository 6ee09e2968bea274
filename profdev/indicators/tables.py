import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from profdev.indicators.models import Target


class TargetTable(tables.Table):
    edit = tables.LinkColumn(
        "indicators:target-update",
        args=[tables.A("pk")],
        text=_("изменить"),
        orderable=False,
        verbose_name="",
    )

    class Meta:
        model = Target
        fields = ("year", "indicator", "value", "unit", "note")
