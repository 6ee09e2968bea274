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
