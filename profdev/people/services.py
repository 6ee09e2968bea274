"""Writes to the people registries; views, the API, imports and commands all call these."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from profdev.common.identifiers import normalize_snils
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action
from profdev.people.choices import MANAGEMENT_POSITIONS, EmploymentKind, Position
from profdev.people.models import Employment, Subject, Teacher


def _ensure_organization_in_scope(*, user: Any, organization: Organization) -> None:
    if user is None:
        return
    if not Organization.objects.for_user(user, Action.VIEW).filter(pk=organization.pk).exists():
        raise PermissionDenied(
            _("Организация «%(org)s» вне вашей зоны ответственности.") % {"org": organization}
        )


@transaction.atomic
def teacher_create(
    *,
    user: Any,
    last_name: str,
    first_name: str,
    snils: str,
    organization: Organization,
    position: str = Position.TEACHER,
    start_date: datetime.date,
    middle_name: str = "",
    qualification_category: str = "none",
    career_start: datetime.date | None = None,
    email: str = "",
    subjects: Iterable[Subject] = (),
    is_management: bool | None = None,
    employment_kind: str = EmploymentKind.MAIN,
) -> Teacher:
    """Register a teacher together with their first employment, both inside the user's scope."""
    _ensure_organization_in_scope(user=user, organization=organization)
    teacher = Teacher(
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        middle_name=middle_name.strip(),
        snils=normalize_snils(snils),
        qualification_category=qualification_category,
        career_start=career_start,
        email=email,
    )
    teacher.full_clean()
    teacher.save()
    teacher.subjects.set(list(subjects))
    employment_create(
        user=user,
        teacher=teacher,
        organization=organization,
        position=position,
        start_date=start_date,
        is_management=is_management,
        kind=employment_kind,
    )
    return teacher


@transaction.atomic
def teacher_update(
    *, user: Any, teacher: Teacher, subjects: Iterable[Subject] | None = None, **fields: Any
) -> Teacher:
    """Change a teacher's personal data; the caller has checked the teacher is changeable."""
    if not Teacher.objects.for_user(user, Action.CHANGE).filter(pk=teacher.pk).exists():
        raise PermissionDenied(_("У вас нет прав изменять данные этого педагога."))
    for name, value in fields.items():
        setattr(teacher, name, value)
    teacher.snils = normalize_snils(teacher.snils)
    teacher.full_clean()
    teacher.save()
    if subjects is not None:
        teacher.subjects.set(list(subjects))
    return teacher


@transaction.atomic
def employment_create(
    *,
    user: Any,
    teacher: Teacher,
    organization: Organization,
    start_date: datetime.date,
    position: str = Position.TEACHER,
    end_date: datetime.date | None = None,
    is_management: bool | None = None,
    kind: str = EmploymentKind.MAIN,
) -> Employment:
    """Add a job to a teacher; directors and deputies are in the management team unless told otherwise."""
    _ensure_organization_in_scope(user=user, organization=organization)
    employment = Employment(
        teacher=teacher,
        organization=organization,
        position=position,
        start_date=start_date,
        end_date=end_date,
        kind=kind,
        is_management=position in MANAGEMENT_POSITIONS if is_management is None else is_management,
    )
    employment.full_clean()
    employment.save()
    return employment


@transaction.atomic
def employment_end(*, user: Any, employment: Employment, end_date: datetime.date) -> Employment:
    """Close an employment on a date (a dismissal or a transfer)."""
    if not Employment.objects.for_user(user, Action.CHANGE).filter(pk=employment.pk).exists():
        raise PermissionDenied(_("У вас нет прав изменять это место работы."))
    if end_date < employment.start_date:
        raise ValidationError(
            {"end_date": _("Дата окончания работы не может быть раньше даты начала.")}
        )
    employment.end_date = end_date
    employment.save(update_fields=["end_date"])
    return employment
