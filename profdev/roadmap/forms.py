"""Forms of the roadmap pages; they only collect input, the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from profdev.common.forms import DateInput, ScopedModelForm, add_bootstrap_class
from profdev.orgs.scoping import Action
from profdev.roadmap.choices import ItemStatus
from profdev.roadmap.models import Activity, Program, ValidationRule


class CampaignOpenForm(forms.Form):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label=_("Программа"))
    year = forms.IntegerField(label=_("Год"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(
        label=_("Период"),
        choices=[("", _("Год целиком")), ("1", _("I полугодие")), ("2", _("II полугодие"))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    deadline = forms.DateField(label=_("Срок сдачи отчётов"), widget=DateInput())
    title = forms.CharField(label=_("Название"), required=False, max_length=300)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.for_user(user, Action.CHANGE)  # type: ignore[attr-defined]
        for field in self.fields.values():
            add_bootstrap_class(field)


class ReportItemForm(forms.Form):
    status = forms.ChoiceField(label=_("Исполнение"), choices=ItemStatus.choices, required=False)
    description = forms.CharField(
        label=_("Описание"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    figures = forms.CharField(
        label=_("Показатели"),
        required=False,
        help_text=_("Через точку с запятой: pairs=3; teachers=20"),
    )
    evidence_link = forms.URLField(label=_("Ссылка"), required=False, assume_scheme="https")
    evidence_file = forms.FileField(label=_("Файл"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            add_bootstrap_class(field)

    def clean_figures(self) -> dict[str, str]:
        text = self.cleaned_data.get("figures") or ""
        result: dict[str, str] = {}
        for part in text.replace("\n", ";").split(";"):
            if not part.strip():
                continue
            if "=" not in part:
                raise forms.ValidationError(_("Пишите показатели как имя=число: pairs=3."))
            key, value = part.split("=", 1)
            result[key.strip()] = value.strip()
        return result


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActivityForm(ScopedModelForm):
    class Meta:
        model = Activity
        fields = [
            "program",
            "number",
            "section",
            "title",
            "level_regional",
            "level_municipal",
            "level_organization",
            "responsible",
            "deadline",
            "period",
            "expected_result",
            "evidence_form",
            "indicator_code",
            "required",
        ]


class ValidationRuleForm(ScopedModelForm):
    class Meta:
        model = ValidationRule
        fields = ["program", "left", "comparison", "right", "message"]
        help_texts = {
            "left": _("Имя показателя из отчётов: латинские строчные буквы, цифры, «_» (pairs)."),
            "right": _("С чем сравнивать, например teachers."),
            "message": _("Что увидит автор отчёта, если правило нарушено."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.for_user(self.user, Action.CHANGE)  # type: ignore[attr-defined]
