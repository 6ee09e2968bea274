from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from profdev.common.forms import ScopedModelForm
from profdev.events.choices import EventLevel
from profdev.events.models import Event, EventParticipation
from profdev.orgs.scoping import Level, scope_of


class EventForm(ScopedModelForm):
    """An event; the region comes from the municipality or the user."""

    # declared so a negative number gets our message rather than the generic minimum one
    participant_count = forms.IntegerField(
        label=_("Число участников"),
        required=False,
        help_text=_("Для мероприятий без поименного списка участников."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "level",
            "start_date",
            "end_date",
            "format",
            "municipality",
            "organizer",
            "organizer_organization",
            "participant_count",
            "areas",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_of(self.user)
        if scope.level == Level.MUNICIPALITY and self.instance.pk is None:
            self.initial.setdefault("level", EventLevel.MUNICIPAL)
            self.initial.setdefault("municipality", scope.node_id)
        self.fields["participant_count"].widget.attrs["min"] = 0

    def clean_participant_count(self) -> int | None:
        value = self.cleaned_data.get("participant_count")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Число участников не может быть отрицательным."))
        return value

    def _post_clean(self) -> None:
        # the service validates the full record (with the region) on save
        if self.instance.region_id is None:
            self.instance.region_id = getattr(self.user, "region_id", None)
        super()._post_clean()  # type: ignore[misc]


class ParticipationForm(ScopedModelForm):
    """A teacher or an organization to add to an event."""

    class Meta:
        model = EventParticipation
        fields = ["teacher", "organization", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"].required = False
        self.fields["organization"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("teacher")) == bool(data.get("organization")):
            raise forms.ValidationError(_("Укажите либо педагога, либо организацию."))
        return data

    def _post_clean(self) -> None:
        # constraints need the event, which the service sets; skip model validation here
        pass
