"""Writes about users: accounts managed by the regional operator, sessions, personal-data log."""

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profdev.accounts.choices import Role
from profdev.accounts.models import PersonalDataAccess, User
from profdev.orgs.scoping import scope_of


def snils_access_record(*, user: Any, teacher: Any) -> PersonalDataAccess:
    """Log that `user` was shown `teacher`'s full SNILS."""
    return PersonalDataAccess.objects.create(user=user, teacher=teacher, field="snils")


def personal_data_export_record(*, user: Any, teacher: Any) -> PersonalDataAccess:
    """Log that `user` exported everything held about `teacher`."""
    return PersonalDataAccess.objects.create(user=user, teacher=teacher, field="export")


def user_sessions_end(*, user: Any) -> int:
    """Log `user` out everywhere: delete every session of theirs and their API token."""
    from django.contrib.sessions.models import Session
    from rest_framework.authtoken.models import Token

    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    Token.objects.filter(user=user).delete()
    return len(ended)


# --- user management by the regional operator ------------------------------------------------

# The level of the tree each role is bound to: the binding field that must be filled.
ROLE_BINDING: dict[str, str | None] = {
    Role.OFFICIAL: None,
    Role.OPERATOR: None,
    Role.METHODIST: None,
    Role.MUNICIPAL: "municipality",
    Role.SCHOOL: "organization",
    Role.TEACHER: "teacher",
}
BINDING_FIELDS = ("municipality", "organization", "teacher")


def _require_manager(actor: Any) -> int:
    """The region of a regional operator; PermissionDenied for anyone else."""
    if scope_of(actor).role != Role.OPERATOR or actor.is_superuser or not actor.region_id:
        raise PermissionDenied(_("Пользователями управляет региональный оператор своего региона."))
    return int(actor.region_id)


def _require_managed(actor: Any, user: Any) -> None:
    """`user` must be an account of the actor's region (superusers and staff never are)."""
    _require_manager(actor)
    if not User.objects.for_user(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("Эта учётная запись не относится к вашему региону."))


def _binding(*, actor: Any, role: str, node: Any) -> dict[str, Any]:
    """The binding fields for `role`: the node must exist inside the actor's region."""
    from profdev.orgs.models import Municipality, Organization
    from profdev.people.models import Teacher

    region_id = _require_manager(actor)
    if role not in ROLE_BINDING:
        raise ValidationError({"role": _("Неизвестная роль.")})
    binding: dict[str, Any] = {"region_id": region_id, **dict.fromkeys(BINDING_FIELDS)}
    field = ROLE_BINDING[role]
    if field is None:
        if node is not None:
            raise ValidationError(
                {
                    "role": _(
                        "Эта роль привязана к региону: муниципалитет, организацию и педагога не указывайте."
                    )
                }
            )
        return binding
    if node is None:
        messages = {
            "municipality": _("Для координатора МОУО укажите муниципалитет."),
            "organization": _("Для ответственного в ОО укажите организацию."),
            "teacher": _("Для педагога укажите запись в реестре педагогов."),
        }
        raise ValidationError({field: messages[field]})
    allowed: Any = {
        "municipality": Municipality.objects.filter(region_id=region_id),
        "organization": Organization.objects.filter(region_id=region_id),
        "teacher": Teacher.objects.for_user(actor),
    }[field]
    if not isinstance(node, allowed.model) or not allowed.filter(pk=node.pk).exists():
        raise ValidationError({field: _("Выберите запись из своего региона.")})
    binding[field] = node
    if field == "organization":
        binding["municipality"] = node.municipality
    return binding


def _save(user: Any, reason: str) -> Any:
    user._change_reason = reason
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    last_name: str,
    first_name: str,
    email: str,
    role: str,
    node: Any = None,
    password: str,
) -> Any:
    """A new account of the actor's region with its role, binding and a temporary password."""
    binding = _binding(actor=actor, role=role, node=node)
    user = User(
        username=username,
        last_name=last_name,
        first_name=first_name,
        email=email,
        role=role,
        **binding,
    )
    validate_password(password, user=user)
    user.set_password(password)
    return _save(user, "created by the regional operator")


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: Any,
    last_name: str,
    first_name: str,
    email: str,
    role: str,
    node: Any = None,
) -> Any:
    """Change an account's names, role and binding; the operator cannot demote themself."""
    _require_managed(actor, user)
    if user.pk == actor.pk and role != Role.OPERATOR:
        raise ValidationError(
            {"role": _("Нельзя снять роль регионального оператора с самого себя.")}
        )
    binding = _binding(actor=actor, role=role, node=node)
    for name, value in {
        "last_name": last_name,
        "first_name": first_name,
        "email": email,
        "role": role,
        **binding,
    }.items():
        setattr(user, name, value)
    return _save(user, "changed by the regional operator")


@transaction.atomic
def user_set_active(*, actor: Any, user: Any, active: bool) -> Any:
    """Deactivate (sessions and token ended) or reactivate an account; never one's own."""
    _require_managed(actor, user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("Нельзя отключить собственную учётную запись."))
    user.is_active = active
    _save(user, "activated" if active else "deactivated")
    if not active:
        user_sessions_end(user=user)
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: Any, password: str) -> Any:
    """Set a temporary password (the validators apply) and end the account's sessions."""
    _require_managed(actor, user)
    validate_password(password, user=user)
    user.set_password(password)
    _save(user, "password set by the regional operator")
    if user.pk != actor.pk:
        user_sessions_end(user=user)
    return user
