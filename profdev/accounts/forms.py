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
