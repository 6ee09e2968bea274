"""Factories of the learning app; other apps (indicators) import these."""

import datetime

import factory

from profdev.common.tests.factories import CenterStaffFactory, TeacherFactory
from profdev.learning.choices import EnrollmentStatus, ProgramAudience, ProgramProvider
from profdev.learning.models import (
    Cohort,
    CompetenceArea,
    Diagnostic,
    Enrollment,
    Program,
    Route,
    RouteStep,
    StaffTraining,
)


def area(code: str) -> CompetenceArea:
    """One of the seeded competence areas (subject, methodical, psych_pedagogical, …)."""
    return CompetenceArea.objects.get(code=code)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    title = factory.Sequence(lambda n: f"Программа ПК № {n}")
    hours = 36
    audience = ProgramAudience.TEACHERS
    provider = ProgramProvider.CENTER


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Поток {n}")
    start_date = datetime.date(2023, 3, 1)
    end_date = datetime.date(2023, 3, 31)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    teacher = factory.SubFactory(TeacherFactory)
    status = EnrollmentStatus.ENROLLED


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnostic

    teacher = factory.SubFactory(TeacherFactory)
    conducted_on = datetime.date(2023, 1, 20)
    instrument = "Диагностика профессиональных дефицитов (ФИОКО)"


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route

    teacher = factory.SubFactory(TeacherFactory)
    developed_on = datetime.date(2023, 2, 1)
    planned_end = datetime.date(2023, 12, 31)


class RouteStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RouteStep

    route = factory.SubFactory(RouteFactory)
    kind = "self_study"
    title = "Изучение методической литературы"
    planned_start = factory.LazyAttribute(lambda o: o.route.developed_on)
    planned_end = factory.LazyAttribute(lambda o: o.route.planned_end)


class StaffTrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffTraining

    staff = factory.SubFactory(CenterStaffFactory)
    program_title = "Обучение сотрудников ЦНППМ (ФГАОУ ДПО «Академия Минпросвещения России»)"
    start_date = datetime.date(2022, 4, 1)
    end_date = datetime.date(2022, 4, 30)
    completed_on = datetime.date(2022, 4, 30)
