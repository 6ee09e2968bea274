from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Login; the error never says whether the name or the password was wrong."""

    error_messages = {
        "invalid_login": _("Неверное имя пользователя или пароль."),
        "inactive": _("Учётная запись отключена. Обратитесь к региональному оператору."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"class": "form-control", "autocomplete": "username"}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "form-control", "autocomplete": "current-password"}
        )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Язык"))


class AuditFilterForm(forms.Form):
    """Search of the audit trail: who, which model and object, when, what kind of change."""

    user: Any = forms.ModelChoiceField(label=_("Пользователь"), queryset=None, required=False)
    model = forms.ChoiceField(label=_("Вид записи"), required=False)
    object_id = forms.IntegerField(label=_("Номер записи"), required=False, min_value=1)
    date_from = forms.DateField(
        label=_("С даты"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("По дату"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(
        label=_("Действие"),
        required=False,
        choices=[
            ("", _("любое")),
            ("+", _("создание")),
            ("~", _("изменение")),
            ("-", _("удаление")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from profdev.accounts.audit import model_choices
        from profdev.accounts.models import User

        super().__init__(*args, **kwargs)
        user_field: Any = self.fields["user"]
        user_field.queryset = User.objects.order_by("username")
        model_field: Any = self.fields["model"]
        model_field.choices = [("", _("все")), *model_choices()]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("Дата «с» позже даты «по»."))
        return data
