"""Factories for the roadmap: a program with activities at every level."""

import datetime
from typing import Any

import factory

from profdev.common.tests.factories import RegionFactory
from profdev.roadmap.models import Activity, Program, ValidationRule


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Программа развития наставничества {n}")
    start_year = 2020
    end_year = 2024
    order_number = "305-р"
    order_date = datetime.date(2020, 4, 13)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    program = factory.SubFactory(ProgramFactory)
    number = factory.Sequence(lambda n: f"1.{n + 1}")
    sort_key = factory.LazyAttribute(lambda a: Activity.make_sort_key(a.number))
    title = factory.Sequence(lambda n: f"Мероприятие {n}")


def program_with_roadmap(region: Any) -> Program:
    """Activities: 1.1 regional, 2.1 municipal, 3.1 and 3.2 at schools (3.2 optional)."""
    program: Any = ProgramFactory(region=region, title="Программа наставничества")
    ActivityFactory(program=program, number="1.1", level_regional=True, title="Региональный план")
    ActivityFactory(program=program, number="2.1", level_municipal=True, title="Муниципальный план")
    ActivityFactory(
        program=program, number="3.1", level_organization=True, title="Положение о наставничестве"
    )
    ActivityFactory(
        program=program,
        number="3.2",
        level_organization=True,
        required=False,
        title="Наставнические пары",
    )
    ValidationRule.objects.create(
        program=program,
        left="pairs",
        comparison="le",
        right="teachers",
        message="Число наставнических пар не может превышать число педагогов",
    )
    return program
