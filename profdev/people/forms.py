from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profdev.common.forms import DateInput, ScopedModelForm, add_bootstrap_class
from profdev.common.identifiers import normalize_snils, snils_error
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action
from profdev.people.choices import EmploymentKind, Position
from profdev.people.models import Employment, Teacher


class TeacherForm(ScopedModelForm):
    """A teacher's personal data; SNILS is accepted in any usual form."""

    snils = forms.CharField(
        label=_("СНИЛС"),
        max_length=20,
        help_text=_("11 цифр, например 112-233-445 95"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Teacher
        fields = [
            "last_name",
            "first_name",
            "middle_name",
            "snils",
            "subjects",
            "qualification_category",
            "career_start",
            "email",
        ]
        widgets = {"career_start": DateInput(), "subjects": forms.SelectMultiple(attrs={"size": 6})}

    def clean_snils(self) -> str:
        value = self.cleaned_data["snils"]
        error = snils_error(value)
        if error:
            raise forms.ValidationError(error)
        digits = normalize_snils(value)
        duplicates = Teacher.objects.filter(snils=digits)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(_("Педагог с таким СНИЛС уже есть в реестре."))
        return digits


class TeacherCreateForm(TeacherForm):
    """A new teacher with their first place of work."""

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(), label=_("Организация")
    )
    position = forms.ChoiceField(
        choices=Position.choices, label=_("Должность"), initial=Position.TEACHER
    )
    employment_kind = forms.ChoiceField(
        choices=EmploymentKind.choices, label=_("Вид занятости"), initial=EmploymentKind.MAIN
    )
    start_date = forms.DateField(
        label=_("Дата приёма на работу"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.for_user(self.user, Action.VIEW)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        if self.user is not None and getattr(self.user, "organization_id", None):
            self.fields["organization"].initial = self.user.organization_id
        for name in ("organization", "position", "employment_kind", "start_date"):
            add_bootstrap_class(self.fields[name])


class EmploymentForm(ScopedModelForm):
    class Meta:
        model = Employment
        fields = ["organization", "position", "is_management", "kind", "start_date", "end_date"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Дата окончания работы не может быть раньше даты начала."))
        return data
