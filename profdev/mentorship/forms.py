"""Forms of the mentorship pages; saving goes through services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from profdev.common.forms import DateInput, ScopedModelForm, add_bootstrap_class
from profdev.mentorship.models import (
    CheckIn,
    ManagementMentoring,
    MentoringForm,
    MentorPair,
    TargetModel,
)
from profdev.people.models import Teacher, active_employment_q
from profdev.people.widgets import TeacherPicker


class TargetModelForm(ScopedModelForm):
    class Meta:
        model = TargetModel
        fields = [
            "local_act_number",
            "local_act_date",
            "local_act_file",
            "curator",
            "program_title",
            "program_start",
            "program_end",
            "program_file",
        ]
        widgets = {
            "local_act_date": DateInput(),
            "program_start": DateInput(),
            "program_end": DateInput(),
        }

    def __init__(self, *args: Any, organization: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organization is not None:
            field: Any = self.fields["curator"]
            field.queryset = field.queryset.filter(
                employments__in=organization.employments.filter(active_employment_q())
            ).distinct()


class MentorPairForm(ScopedModelForm):
    class Meta:
        model = MentorPair
        fields = ["organization", "mentor", "mentees", "form", "start_date", "planned_end", "goals"]
        widgets = {
            "start_date": DateInput(),
            "planned_end": DateInput(),
            "mentor": TeacherPicker(),
            "mentees": TeacherPicker(multiple=True),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field: Any = self.fields["form"]
        form_field.queryset = MentoringForm.objects.filter(is_active=True)


class MentorPairUpdateForm(ScopedModelForm):
    class Meta:
        model = MentorPair
        fields = [
            "planned_end",
            "goals",
            "status",
            "end_date",
            "outcome",
            "mentee_self_assessment",
        ]
        widgets = {"planned_end": DateInput(), "end_date": DateInput()}


class CheckInForm(ScopedModelForm):
    class Meta:
        model = CheckIn
        fields = ["date", "topic", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}


class ManagementMentoringForm(ScopedModelForm):
    class Meta:
        model = ManagementMentoring
        fields = [
            "mentor_organization",
            "mentee_organization",
            "start_date",
            "end_date",
            "status",
            "goals",
            "mentor_people",
            "mentee_people",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "mentor_people": TeacherPicker(multiple=True),
            "mentee_people": TeacherPicker(multiple=True),
        }


class MatchConfirmForm(forms.Form):
    """The coordinator's confirmation of a proposed mentor."""

    mentor = forms.ModelChoiceField(queryset=Teacher.objects.none(), label=_("Наставник"))
    form = forms.ModelChoiceField(
        queryset=MentoringForm.objects.filter(is_active=True), label=_("Форма")
    )
    start_date = forms.DateField(label=_("Дата начала"), widget=DateInput())
    planned_end = forms.DateField(label=_("Плановое окончание"), widget=DateInput())
    goals = forms.CharField(
        label=_("Цели"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, mentor_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mentor_field: Any = self.fields["mentor"]
        mentor_field.queryset = Teacher.objects.filter(pk__in=mentor_ids)
        for field in self.fields.values():
            add_bootstrap_class(field)
