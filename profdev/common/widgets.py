"""Widgets rendered in Python where Django's per-option templates cost too much."""

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """Attributes as Django's widgets/attrs.html writes them (True: bare name, False: left out)."""
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class ListedModelChoiceIterator(ModelChoiceIterator):
    """A model field's choices read by one plain query.

    Django's iterator reads them through `QuerySet.iterator()`, which on PostgreSQL opens a
    server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE: three round trips and a result that
    the server materializes) — made for millions of rows, not for a list of choices.
    """

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():  # a fresh read each time, as Django's
            yield self.choice(obj)


class FastSelect(forms.Select):
    """A `<select>` with the same markup as Django's, written without a template per option.

    Django renders every `<option>` through two template includes; a filter offering a region's
    500 organizations spent more time there than on the rest of the list page.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if type(self.choices) is ModelChoiceIterator:  # this widget's own copy (per form)
            self.choices = ListedModelChoiceIterator(self.choices.field)
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                html.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # every part above is escaped
