"""factory_boy factories for the foundation models; other apps import these."""

import datetime
import itertools

import factory

from profdev.accounts.choices import Role
from profdev.accounts.models import User
from profdev.common.identifiers import make_inn, make_snils
from profdev.orgs.choices import OrganizationKind
from profdev.orgs.models import Municipality, Organization, Region
from profdev.people.choices import EmploymentKind, Position, StaffPosition
from profdev.people.models import CenterStaff, Employment, Teacher

_snils_serial = itertools.count(200_000_001)
_inn_serial = itertools.count(500_000_001)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = "Томская область"
    code = "70"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Муниципалитет {n}")
    kind = "municipal_district"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.LazyAttribute(lambda o: o.municipality.region)
    name = factory.Sequence(lambda n: f"МБОУ «СОШ № {n}»")
    short_name = factory.LazyAttribute(lambda o: o.name)
    kind = OrganizationKind.SCHOOL
    inn = factory.LazyFunction(lambda: make_inn(next(_inn_serial)))


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    last_name = factory.Iterator(["Иванова", "Петрова", "Смирнов", "Кузнецова", "Попов"])
    first_name = factory.Iterator(["Анна", "Мария", "Сергей", "Елена", "Олег"])
    middle_name = "Ивановна"
    snils = factory.LazyFunction(lambda: make_snils(next(_snils_serial)))
    career_start = datetime.date(2010, 9, 1)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    teacher = factory.SubFactory(TeacherFactory)
    organization = factory.SubFactory(OrganizationFactory)
    position = Position.TEACHER
    kind = EmploymentKind.MAIN
    start_date = datetime.date(2015, 9, 1)


class CenterStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CenterStaff

    last_name = "Методистова"
    first_name = "Мария"
    organization = factory.SubFactory(
        OrganizationFactory, kind=OrganizationKind.OTHER, is_center=True
    )
    position = StaffPosition.METHODIST
    start_date = datetime.date(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OPERATOR
    password = factory.django.Password("secret-pass-123")


def teacher_at(organization: Organization, **kwargs: object) -> Teacher:
    """A teacher with an active main employment at `organization`."""
    employment_kwargs = {
        k[len("employment_") :]: kwargs.pop(k) for k in list(kwargs) if k.startswith("employment_")
    }
    teacher = TeacherFactory(**kwargs)
    EmploymentFactory(teacher=teacher, organization=organization, **employment_kwargs)
    return teacher
