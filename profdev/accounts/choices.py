"""Roles of the system's users."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICIAL = "official", _("Специалист Департамента")
    OPERATOR = "operator", _("Региональный оператор / администратор ЦНППМ")
    METHODIST = "methodist", _("Методист / тьютор ЦНППМ")
    MUNICIPAL = "municipal", _("Координатор МОУО")
    SCHOOL = "school", _("Ответственный в ОО")
    TEACHER = "teacher", _("Педагогический работник")


# Roles whose scope is the region (or the whole country when no region is set).
REGION_ROLES = frozenset({Role.OFFICIAL, Role.OPERATOR, Role.METHODIST})
