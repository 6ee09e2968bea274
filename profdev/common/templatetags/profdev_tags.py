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
