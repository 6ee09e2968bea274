import django_filters
from django.utils.translation import gettext_lazy as _

from profdev.indicators.choices import IndicatorCode
from profdev.indicators.models import Target


class TargetFilterSet(django_filters.FilterSet):
    indicator = django_filters.ChoiceFilter(choices=IndicatorCode.choices, label=_("Показатель"))
    year = django_filters.NumberFilter(label=_("Год"), min_value=1900, max_value=2100)

    class Meta:
        model = Target
        fields = ["indicator", "year"]
