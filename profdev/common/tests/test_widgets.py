"""FastSelect writes the same markup as Django's template-rendered Select."""

import pytest
from django import forms

from profdev.common.widgets import FastSelect

CHOICES = [
    ("", "Все"),
    (1, "МБОУ «СОШ № 1» & <филиал>"),
    ("Группа", [(2, "Вторая"), (3, 'Третья "кавычки"')]),
]


@pytest.mark.parametrize("value", [None, "", 1, "3", [1, 3]])
def test_same_html_as_django(value) -> None:  # type: ignore[no-untyped-def]
    attrs = {"class": "form-select", "id": "id_org", "required": True, "disabled": False}
    if isinstance(value, list):
        django_widget: forms.Select = forms.SelectMultiple(attrs=attrs, choices=CHOICES)
        fast = type("FastMultiple", (FastSelect,), {"allow_multiple_selected": True})(
            attrs={**attrs, "multiple": True}, choices=CHOICES
        )
        django_widget.attrs["multiple"] = True
    else:
        django_widget = forms.Select(attrs=attrs, choices=CHOICES)
        fast = FastSelect(attrs=attrs, choices=CHOICES)
    assert fast.render("org", value) == django_widget.render("org", value)


def test_model_choices_in_one_plain_query(world) -> None:  # type: ignore[no-untyped-def]
    """The same markup as Django's Select over a model field, read without a server-side
    cursor (on PostgreSQL Django's own iterator DECLAREs one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from profdev.orgs.models import Municipality

    def field(widget: forms.Select) -> forms.ModelChoiceField:
        return forms.ModelChoiceField(
            queryset=Municipality.objects.order_by("name"), widget=widget, empty_label="Все"
        )

    attrs = {"class": "form-select"}
    expected = field(forms.Select(attrs=attrs)).widget.render("municipality", world.asino.pk)
    fast = field(FastSelect(attrs=attrs)).widget
    with CaptureQueriesContext(connection) as ctx:
        assert fast.render("municipality", world.asino.pk) == expected
    assert len(ctx.captured_queries) == 1
    assert "DECLARE" not in ctx.captured_queries[0]["sql"]
    Municipality.objects.filter(pk=world.asino.pk).update(name="Асино-новое")
    assert "Асино-новое" in fast.render("municipality", world.asino.pk)  # read again
