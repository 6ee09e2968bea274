"""A teacher chosen by searching, not from a list of every teacher in the user's scope.

A `<select>` of a region's teachers is megabytes of options (24,000 for the demo region's
operator on the mentor-pair form). `TeacherPicker` shows the teachers already chosen as
checked boxes (radio buttons for one) and a search box; typing asks `people:teacher-picker`,
which sends back the chosen ones and up to `PICKER_LIMIT` matches of the user's scope. The
field stays a ModelChoiceField or ModelMultipleChoiceField: validation is the field's own.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.urls import reverse

from profdev.people.models import Teacher

PICKER_LIMIT = 20


def picked_values(values: Iterable[Any]) -> list[int]:
    """The teacher keys among posted or initial values (anything else is ignored here: the
    form field reports it)."""
    picked: list[int] = []
    for value in values:
        pk = getattr(value, "pk", value)
        if str(pk).isdigit() and int(pk) not in picked:
            picked.append(int(pk))
    return picked


class TeacherPicker(forms.Widget):
    template_name = "people/widgets/teacher_picker.html"

    def __init__(self, *, multiple: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.choices: Any = ()  # the field's ModelChoiceIterator, set by the field

    @property
    def allow_multiple_selected(self) -> bool:
        return self.multiple

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not self.multiple and name not in data

    def format_value(self, value: Any) -> Any:  # a list of keys, as a multiple select's
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple | set) else [value]
        return picked_values(values)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        queryset = getattr(self.choices, "queryset", Teacher.objects.none())
        # Only teachers of the field's queryset (the user's scope) are named, whatever was posted.
        picked = picked_values(context["widget"]["value"])
        context["widget"].update(
            picked=list(queryset.filter(pk__in=picked).order_by("last_name", "first_name")),
            multiple=self.multiple,
            url=reverse("people:teacher-picker"),
        )
        return context
