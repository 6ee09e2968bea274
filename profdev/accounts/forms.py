from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from profdev.accounts.choices import Role
from profdev.common.forms import add_bootstrap_class


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

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        from profdev.accounts.audit import model_choices
        from profdev.accounts.models import User
        from profdev.orgs.scoping import Level, scope_of

        super().__init__(*args, **kwargs)
        user_field: Any = self.fields["user"]
        # Only the accounts of the operator's region (an unbound operator sees every account).
        accounts = (
            User.objects.all() if scope_of(user).level == Level.ALL else User.objects.for_user(user)
        )
        user_field.queryset = accounts.order_by("username")
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


class UserForm(forms.Form):
    """An account of the operator's region: names, role and the node the role is bound to.

    Choices are limited to the operator's region; the service checks it again. The teacher is
    found by SNILS (posted, never in a URL), the region's teachers being too many for a list.
    """

    username = forms.CharField(label=_("Логин"), max_length=150)
    last_name = forms.CharField(label=_("Фамилия"), max_length=150)
    first_name = forms.CharField(label=_("Имя"), max_length=150)
    email = forms.EmailField(label=_("Электронная почта"), required=False)
    role = forms.ChoiceField(label=_("Роль"), choices=Role.choices)
    municipality: Any = forms.ModelChoiceField(
        label=_("Муниципалитет (для координатора МОУО)"), queryset=None, required=False
    )
    organization: Any = forms.ModelChoiceField(
        label=_("Организация (для ответственного в ОО)"), queryset=None, required=False
    )
    teacher_snils = forms.CharField(
        label=_("СНИЛС педагога (для педагога)"), max_length=20, required=False
    )

    def __init__(self, *args: Any, actor: Any, instance: Any = None, **kwargs: Any) -> None:
        from profdev.orgs.models import Municipality, Organization

        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "username": instance.username,
                "last_name": instance.last_name,
                "first_name": instance.first_name,
                "email": instance.email,
                "role": instance.role,
                "municipality": instance.municipality_id,
                "organization": instance.organization_id,
            }
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.instance = instance
        region_id: Any = getattr(actor, "region_id", None)
        fields: Any = self.fields
        fields["municipality"].queryset = Municipality.objects.filter(region_id=region_id).order_by(
            "name"
        )
        fields["organization"].queryset = Organization.objects.filter(region_id=region_id).order_by(
            "name"
        )
        if instance is not None:
            self.fields["username"].disabled = True
            if instance.teacher_id:
                self.fields["teacher_snils"].help_text = _(
                    "Сейчас: %(teacher)s. Оставьте пустым, чтобы не менять."
                ) % {"teacher": instance.teacher}
        for field in self.fields.values():
            add_bootstrap_class(field)

    def clean(self) -> dict[str, Any]:
        from profdev.accounts.services import BINDING_FIELDS, ROLE_BINDING
        from profdev.common.identifiers import normalize_snils, snils_error
        from profdev.people.models import Teacher

        data = super().clean() or {}
        role = data.get("role")
        if role is None:
            return data
        wanted = ROLE_BINDING.get(role)
        snils = data.get("teacher_snils", "")
        teacher = None
        if snils:
            error = snils_error(snils)
            if error:
                self.add_error("teacher_snils", error)
                return data
            teacher = (
                Teacher.objects.for_user(self.actor).filter(snils=normalize_snils(snils)).first()
            )
            if teacher is None:
                self.add_error("teacher_snils", _("В вашем регионе нет педагога с таким СНИЛС."))
                return data
        elif wanted == "teacher" and self.instance is not None and self.instance.teacher_id:
            teacher = self.instance.teacher
        nodes = {
            "municipality": data.get("municipality"),
            "organization": data.get("organization"),
            "teacher": teacher,
        }
        extra = [name for name in BINDING_FIELDS if name != wanted and nodes[name] is not None]
        if extra and not (wanted == "organization" and extra == ["municipality"]):
            raise forms.ValidationError(
                _("Для роли «%(role)s» заполните только своё поле привязки.")
                % {"role": Role(role).label}
            )
        data["node"] = nodes[wanted] if wanted else None
        return data


class UserPasswordForm(forms.Form):
    """A temporary password the operator gives the user (the password validators apply)."""

    password1 = forms.CharField(
        label=_("Временный пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Пароль ещё раз"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            add_bootstrap_class(field)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Пароли не совпадают."))
        return data


class UserCreateForm(UserForm, UserPasswordForm):
    """A new account: the fields of `UserForm` and its first, temporary password."""

    def clean(self) -> dict[str, Any]:
        data = UserForm.clean(self)
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Пароли не совпадают."))
        return data
