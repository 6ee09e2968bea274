import datetime
from typing import Any

import pytest
from django.db.models import Count

from profdev.common.tests.factories import teacher_at
from profdev.mentorship.models import MentorshipSettings
from profdev.mentorship.rules import explain_school, implementing_schools_condition
from profdev.mentorship.tests.factories import MentorPairFactory, TargetModelFactory
from profdev.orgs.models import Municipality, Organization

pytestmark = pytest.mark.django_db


def _complete(school: Any, *, act: datetime.date = datetime.date(2021, 3, 1)) -> Any:
    curator = teacher_at(school)
    TargetModelFactory(organization=school, local_act_date=act, curator=curator)
    MentorPairFactory(
        organization=school,
        mentor=curator,
        mentees=[teacher_at(school)],
        start_date=datetime.date(2021, 9, 1),
        planned_end=datetime.date(2022, 6, 30),
    )
    return school


def _implementing(year: int) -> set[int]:
    return set(
        Organization.objects.filter(implementing_schools_condition(year)).values_list(
            "pk", flat=True
        )
    )


def test_school_with_every_element_implements(world: Any) -> None:
    _complete(world.school_a)
    assert _implementing(2021) == {world.school_a.pk}
    assert _implementing(2022) == {world.school_a.pk}
    assert explain_school(world.school_a, 2021).implementing


def test_local_act_missing_or_dated_after_year(world: Any) -> None:
    _complete(world.school_a, act=datetime.date(2022, 1, 10))
    assert _implementing(2021) == set()
    assert _implementing(2022) == {world.school_a.pk}
    explanation = explain_school(world.school_a, 2021)
    assert not explanation.implementing
    assert [e.code for e in explanation.missing] == ["local_act"]


def test_curator_missing(world: Any) -> None:
    _complete(world.school_a)
    world.school_a.target_model.curator = None
    world.school_a.target_model.save()
    assert _implementing(2021) == set()
    assert [e.code for e in explain_school(world.school_a, 2021).missing] == ["curator"]


def test_no_target_model_at_all(world: Any) -> None:
    MentorPairFactory(organization=world.school_a, mentees=[teacher_at(world.school_a)])
    assert _implementing(2021) == set()
    assert {e.code for e in explain_school(world.school_a, 2021).missing} == {
        "local_act",
        "curator",
    }


def test_no_pair_active_during_year(world: Any) -> None:
    _complete(world.school_a)
    world.school_a.mentor_pairs.update(status="completed")
    assert _implementing(2020) == set()  # pair starts in 2021
    assert _implementing(2023) == set()  # pair completed as planned in 2022
    assert [e.code for e in explain_school(world.school_a, 2023).missing] == ["active_pair"]


def test_active_pair_without_end_counts_in_later_years(world: Any) -> None:
    _complete(world.school_a)
    MentorPairFactory(
        organization=world.school_a,
        mentees=[teacher_at(world.school_a)],
        start_date=datetime.date(2022, 9, 1),
        planned_end=datetime.date(2023, 1, 31),
        status="active",
    )
    assert world.school_a.pk in _implementing(2024)


def test_interrupted_pair_counts_until_actual_end(world: Any) -> None:
    _complete(world.school_a)
    pair = world.school_a.mentor_pairs.get()
    pair.status = "interrupted"
    pair.end_date = datetime.date(2021, 10, 1)
    pair.save()
    assert _implementing(2021) == {world.school_a.pk}
    assert _implementing(2022) == set()


def test_rule_is_configurable(world: Any) -> None:
    _complete(world.school_a)
    settings = MentorshipSettings.load()
    settings.rule_requires_program = True
    settings.save()
    world.school_a.target_model.program_title = ""
    world.school_a.target_model.save()
    assert _implementing(2021) == set()
    settings.rule_requires_program = False
    settings.rule_requires_active_pair = False
    settings.save()
    assert _implementing(2025) == {world.school_a.pk}


def test_other_organizations_never_implement(world: Any) -> None:
    _complete(world.center)
    assert _implementing(2021) == set()


def test_usable_in_count_filter(world: Any) -> None:
    _complete(world.school_a)
    _complete(world.school_c)
    totals = Organization.objects.aggregate(
        n=Count("pk", filter=implementing_schools_condition(2021))
    )
    assert totals["n"] == 2
    per_municipality = dict(
        Municipality.objects.annotate(
            n=Count(
                "organizations",
                filter=implementing_schools_condition(2021, prefix="organizations__"),
            )
        ).values_list("name", "n")
    )
    assert per_municipality["Томский район"] == 1
    assert per_municipality["Асиновский район"] == 1
    assert per_municipality["Город Новосибирск"] == 0
