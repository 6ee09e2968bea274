"""Small template helpers for the shared layout."""

from typing import Any

from django import template
from django.utils.http import urlencode

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
