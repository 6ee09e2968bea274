"""Forms: the dashboard's selectors and the operator's target editing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from profdev.common.forms import DateInput, ScopedModelForm, add_bootstrap_class
from profdev.common.widgets import FastSelect
from profdev.indicators.models import Target
from profdev.orgs.models import Municipality


class SelectorForm(forms.Form):
    """Year, as-of date and municipality of the dashboard (validated by the compute module)."""

    year = forms.IntegerField(label=_("Год"))
    as_of = forms.DateField(label=_("На дату"), required=False, widget=DateInput())
    municipality = forms.ModelChoiceField(
        label=_("Муниципалитет"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Весь регион"),
        widget=FastSelect,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.for_user(user)  # type: ignore[attr-defined]
        for field in self.fields.values():
            add_bootstrap_class(field)


class TargetForm(ScopedModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "year", "value", "unit", "note"]
