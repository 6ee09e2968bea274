"""Forms of the learning pages; they only collect input, the services decide."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from profdev.common.forms import DateInput, ScopedModelForm, add_bootstrap_class
from profdev.learning.models import (
    Cohort,
    CompetenceArea,
    Diagnostic,
    Enrollment,
    Program,
    Route,
    RouteStep,
    StaffTraining,
)


class ProgramForm(ScopedModelForm):
    class Meta:
        model = Program
        fields = [
            "title",
            "hours",
            "format",
            "audience",
            "provider",
            "provider_name",
            "in_federal_registry",
            "federal_registry_number",
            "areas",
            "description",
        ]
        widgets = {"areas": forms.CheckboxSelectMultiple}


class CohortForm(ScopedModelForm):
    class Meta:
        model = Cohort
        fields = ["title", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class EnrollmentForm(ScopedModelForm):
    class Meta:
        model = Enrollment
        fields = ["teacher"]


class EnrollmentCompleteForm(forms.Form):
    completion_date = forms.DateField(label=_("Дата завершения"), widget=DateInput())
    certificate_number = forms.CharField(
        label=_("Номер удостоверения"), max_length=64, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            add_bootstrap_class(field)


class DiagnosticForm(ScopedModelForm):
    """A diagnostic with one score field (0–100) per competence area."""

    class Meta:
        model = Diagnostic
        fields = ["conducted_on", "instrument", "conducted_by", "notes"]
        widgets = {"conducted_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = list(CompetenceArea.objects.all())
        recorded = (
            dict(self.instance.scores.values_list("area_id", "score")) if self.instance.pk else {}
        )
        for area in self.areas:
            field = forms.DecimalField(
                label=_("%(area)s, балл (порог %(threshold)s)")
                % {"area": area.name, "threshold": area.threshold},
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=1,
                required=False,
            )
            add_bootstrap_class(field)
            self.fields[f"area_{area.pk}"] = field
            if area.pk in recorded:
                self.initial.setdefault(f"area_{area.pk}", recorded[area.pk])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.scores():
            raise forms.ValidationError(_("Укажите баллы хотя бы по одной области компетенций."))
        return data

    def scores(self) -> dict[CompetenceArea, Decimal]:
        data = getattr(self, "cleaned_data", {})
        return {
            area: data[f"area_{area.pk}"]
            for area in self.areas
            if data.get(f"area_{area.pk}") is not None
        }


class RouteForm(ScopedModelForm):
    class Meta:
        model = Route
        fields = ["developed_on", "planned_end", "diagnostic", "methodist", "deficits", "notes"]
        widgets = {
            "developed_on": DateInput(),
            "planned_end": DateInput(),
            "deficits": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"deficits": _("Если не отмечены, берутся из диагностики.")}

    def __init__(self, *args: Any, teacher: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if teacher is not None:
            field: Any = self.fields["diagnostic"]
            field.queryset = field.queryset.filter(teacher=teacher)


class RouteStepForm(ScopedModelForm):
    evidence_link = forms.URLField(
        label=_("Ссылка на подтверждение"), required=False, assume_scheme="https"
    )

    class Meta:
        model = RouteStep
        fields = [
            "kind",
            "title",
            "areas",
            "planned_start",
            "planned_end",
            "status",
            "actual_start",
            "actual_end",
            "program",
            "enrollment",
            "event",
            "evidence_file",
            "evidence_link",
        ]
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "actual_start": DateInput(),
            "actual_end": DateInput(),
        }

    def __init__(self, *args: Any, route: Route | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        route = route or getattr(self.instance, "route", None)
        if route is not None:
            field: Any = self.fields["enrollment"]
            field.queryset = field.queryset.filter(teacher_id=route.teacher_id)
            events: Any = self.fields["event"]
            events.queryset = events.queryset.filter(
                start_date__gte=route.developed_on, end_date__lte=route.planned_end
            )


class StaffTrainingForm(ScopedModelForm):
    class Meta:
        model = StaffTraining
        fields = [
            "staff",
            "program_title",
            "start_date",
            "end_date",
            "completed_on",
            "certificate_number",
        ]
