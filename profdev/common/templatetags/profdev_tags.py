"""Small template helpers for the shared layout."""

from typing import Any

from django import template
from django.utils.http import urlencode

from profdev.common import formatting

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return urlencode(sorted(query.lists()), doseq=True)


@register.filter
def field_type(bound_field: Any) -> str:
    return bound_field.field.widget.__class__.__name__


@register.simple_tag
def file_url(obj: Any, field: str) -> str:
    """The scope-checking download address of an uploaded file (never its media path)."""
    from profdev.common.files import file_url as build

    return build(obj, field)


@register.filter(name="plural")
def plural_filter(number: Any, forms: str) -> str:
    """`{{ n|plural:_("запись,записи,записей") }}`: the word form for n (Russian rules)."""
    return formatting.plural(number, forms)


@register.filter
def count_with_word(number: Any, forms: str) -> str:
    """`{{ n|count_with_word:_("запись,записи,записей") }}` → "21 запись"."""
    return formatting.count_with_word(number, forms)


@register.filter
def long_date(value: Any) -> str:
    """`{{ day|long_date }}` → "23 ноября 2026 г." (the active language's DATE_FORMAT)."""
    return formatting.long_date(value)


@register.filter
def long_datetime(value: Any) -> str:
    """`{{ moment|long_datetime }}` → "23 ноября 2026 г. 14:05"."""
    return formatting.long_datetime(value)


@register.simple_tag
def form_control(bound_field: Any) -> str:
    """The field's widget, marked invalid and tied to its error text for screen readers."""
    attrs: dict[str, str] = {}
    if bound_field.errors:
        widget_attrs = bound_field.field.widget.attrs
        css = widget_attrs.get("class", "")
        attrs["class"] = f"{css} is-invalid".strip()
        attrs["aria-invalid"] = "true"
        described = [f"{bound_field.auto_id}_error"]
        if bound_field.help_text:
            described.append(f"{bound_field.auto_id}_helptext")
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def field_error_count(form: Any) -> int:
    """How many fields of the form have errors (the form's own errors are not counted)."""
    return sum(1 for name in form.errors if name != "__all__")
