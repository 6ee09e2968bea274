"""Users of the system, each with one role bound to one place in the organization tree."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from profdev.accounts.choices import REGION_ROLES, Role
from profdev.orgs.scoping import Scope, scope_of


class UserQuerySet(models.QuerySet["User"]):
    """Accounts seen through the user-management screens."""

    def in_region(self, region_id: int) -> "UserQuerySet":
        """Accounts bound to the region or to a municipality, school or teacher inside it."""
        return self.filter(
            models.Q(region_id=region_id)
            | models.Q(municipality__region_id=region_id)
            | models.Q(organization__region_id=region_id)
        )

    def for_user(self, user: Any, action: Any = None) -> "UserQuerySet":
        """The accounts `user` manages: a regional operator's region, superusers and staff
        excluded; nothing for every other role (roles are assigned by the operator only)."""
        scope = scope_of(user)
        region_id = getattr(user, "region_id", None)
        if scope.role != Role.OPERATOR or not region_id or user.is_superuser:
            return self.none()
        return self.in_region(region_id).filter(is_superuser=False, is_staff=False)


class ProfdevUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager (create_user, …) with the scoped queryset methods."""


class User(AbstractUser):
    """A person who logs in; `role` and the bound node decide what they see."""

    role = models.CharField(_("роль"), max_length=16, choices=Role.choices, default=Role.TEACHER)
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("регион")
    )
    municipality = models.ForeignKey(
        "orgs.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("муниципальное образование"),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("организация"),
    )
    teacher = models.OneToOneField(
        "people.Teacher",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("педагог"),
    )
    staff_member = models.OneToOneField(
        "people.CenterStaff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("сотрудник ЦНППМ"),
    )
    language = models.CharField(
        _("язык интерфейса"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = ProfdevUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:user-detail", args=[self.pk])

    @property
    def scope(self) -> Scope:
        return scope_of(self)

    def clean(self) -> None:
        super().clean()
        required: dict[str, tuple[str, Any]] = {
            Role.MUNICIPAL: ("municipality", _("Для координатора МОУО укажите муниципалитет.")),
            Role.SCHOOL: ("organization", _("Для ответственного в ОО укажите организацию.")),
            Role.TEACHER: ("teacher", _("Для педагога укажите запись в реестре педагогов.")),
        }
        if self.role in required:
            field, message = required[self.role]
            if getattr(self, f"{field}_id") is None:
                raise ValidationError({field: message})
        if self.role in REGION_ROLES and self.region_id is None and not self.is_superuser:
            raise ValidationError({"region": _("Укажите регион пользователя.")})
        if (
            self.organization_id
            and self.municipality_id
            and self.organization is not None
            and self.organization.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"organization": _("Организация не относится к выбранному муниципалитету.")}
            )


class PersonalDataAccess(models.Model):
    """A record that a user saw a teacher's full SNILS (152-FZ: access to personal data is logged)."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("пользователь")
    )
    teacher = models.ForeignKey(
        "people.Teacher", on_delete=models.CASCADE, related_name="+", verbose_name=_("педагог")
    )
    field = models.CharField(_("поле"), max_length=32, default="snils")
    accessed_at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("доступ к персональным данным")
        verbose_name_plural = _("доступ к персональным данным")

    def __str__(self) -> str:
        return f"{self.user} → {self.teacher} ({self.field})"
