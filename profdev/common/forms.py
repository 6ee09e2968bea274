"""Base form: choices of related records are limited to what the user may see."""

from typing import Any

from django import forms

from profdev.orgs.scoping import Action, ScopedModel


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class ScopedModelForm(forms.ModelForm):
    """A ModelForm bound to a user: foreign keys offer only records in the user's scope."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and issubclass(queryset.model, ScopedModel):
                field.queryset = queryset.for_user(user, Action.VIEW)  # type: ignore[attr-defined]
            if isinstance(field.widget, forms.DateInput) and not isinstance(
                field.widget, DateInput
            ):
                field.widget = DateInput()
            add_bootstrap_class(field)


def add_bootstrap_class(field: forms.Field) -> None:
    """Bootstrap's look for a control, chosen by its widget."""
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        widget.attrs.setdefault("class", "form-check-input")
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        widget.attrs.setdefault("class", "form-select")
    else:
        widget.attrs.setdefault("class", "form-control")
