from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from profdev.common.forms import ScopedModelForm
from profdev.orgs.models import Organization


class OrganizationForm(ScopedModelForm):
    """Create or edit an organization; the region must be the municipality's."""

    class Meta:
        model = Organization
        fields = [
            "region",
            "municipality",
            "name",
            "short_name",
            "kind",
            "founder",
            "inn",
            "ogrn",
            "address",
            "low_results",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("inn", "ogrn"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region, municipality = data.get("region"), data.get("municipality")
        if region and municipality and municipality.region_id != region.pk:
            self.add_error(
                "municipality",
                _("Муниципалитет «%(m)s» относится к другому региону, не к «%(r)s».")
                % {"m": municipality, "r": region},
            )
        return data
