import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from profdev.common.tests.factories import teacher_at
from profdev.mentorship import services
from profdev.mentorship.models import CheckIn, ManagementMentoring, MentorPair, TargetModel
from profdev.mentorship.tests.factories import MentorPairFactory, form

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 9, 1)
END = datetime.date(2026, 6, 30)


def _create(user: Any, world: Any, **overrides: Any) -> MentorPair:
    kwargs: dict[str, Any] = {
        "user": user,
        "organization": world.school_a,
        "mentor": world.teacher_a,
        "mentees": [teacher_at(world.school_a, last_name="Молодая")],
        "form": form(),
        "start_date": START,
        "planned_end": END,
    }
    kwargs.update(overrides)
    return services.pair_create(**kwargs)


def test_school_coordinator_creates_pair(world: Any, school_coordinator: Any) -> None:
    pair = _create(school_coordinator, world)
    assert pair.mentees.count() == 1
    assert pair.history.exists()  # audit trail


def test_cross_school_mentor_within_municipality(world: Any, school_coordinator: Any) -> None:
    pair = _create(school_coordinator, world, mentor=world.teacher_b)
    assert pair.mentor == world.teacher_b


def test_mentor_is_own_mentee(world: Any, school_coordinator: Any) -> None:
    with pytest.raises(ValidationError, match="своим наставляемым"):
        _create(school_coordinator, world, mentees=[world.teacher_a])
    assert MentorPair.objects.count() == 0


def test_mentee_in_two_active_pairs_of_same_form(world: Any, school_coordinator: Any) -> None:
    mentee = teacher_at(world.school_a, last_name="Новикова")
    _create(school_coordinator, world, mentees=[mentee])
    other_mentor = teacher_at(world.school_a)
    with pytest.raises(ValidationError, match="уже состоит в действующей паре"):
        _create(school_coordinator, world, mentor=other_mentor, mentees=[mentee])
    assert MentorPair.objects.count() == 1
    # A different form is allowed.
    _create(
        school_coordinator,
        world,
        mentor=other_mentor,
        mentees=[mentee],
        form=form("teacher_teacher"),
    )
    assert MentorPair.objects.count() == 2


def test_pair_ending_before_it_starts(world: Any, school_coordinator: Any) -> None:
    with pytest.raises(ValidationError, match="раньше, чем начинается"):
        _create(school_coordinator, world, planned_end=START - datetime.timedelta(days=1))
    assert MentorPair.objects.count() == 0


def test_mentee_outside_coordinator_scope(world: Any, school_coordinator: Any) -> None:
    with pytest.raises(PermissionDenied, match="вне вашей зоны"):
        _create(school_coordinator, world, mentees=[world.teacher_b])
    assert MentorPair.objects.count() == 0


def test_mentor_outside_coordinator_scope(
    world: Any, school_coordinator: Any, tomsk_district_coordinator: Any
) -> None:
    with pytest.raises(PermissionDenied, match="Наставник"):
        _create(school_coordinator, world, mentor=world.teacher_c)
    with pytest.raises(PermissionDenied, match="Наставник"):
        _create(tomsk_district_coordinator, world, mentor=world.teacher_c)
    assert MentorPair.objects.count() == 0


def test_organization_outside_scope(world: Any, asino_coordinator: Any) -> None:
    with pytest.raises(PermissionDenied):
        _create(asino_coordinator, world)
    assert MentorPair.objects.count() == 0


def test_operator_cannot_pair_across_municipalities(world: Any, operator: Any) -> None:
    with pytest.raises(ValidationError, match="внутри муниципалитета"):
        _create(operator, world, mentor=world.teacher_c)


def test_teacher_cannot_create_pairs(world: Any, teacher_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        _create(teacher_user, world)


def test_finish_pair_sets_end(world: Any, school_coordinator: Any) -> None:
    pair = _create(school_coordinator, world)
    services.pair_update(
        user=school_coordinator,
        pair=pair,
        status="completed",
        outcome="Готов",
        mentee_self_assessment="Хорошо",
    )
    pair.refresh_from_db()
    assert pair.end_date is not None and pair.outcome == "Готов"


def test_target_model_curator_must_work_at_school(world: Any, school_coordinator: Any) -> None:
    with pytest.raises(ValidationError, match="Куратор"):
        services.target_model_save(
            user=school_coordinator, organization=world.school_a, curator=world.teacher_b
        )
    assert TargetModel.objects.count() == 0
    target = services.target_model_save(
        user=school_coordinator,
        organization=world.school_a,
        local_act_number="5",
        local_act_date=START,
        curator=world.teacher_a,
    )
    assert target.curator == world.teacher_a


def test_target_model_of_other_school_denied(world: Any, school_coordinator: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.target_model_save(user=school_coordinator, organization=world.school_b)


def test_check_in_by_teacher_of_pair(world: Any, teacher_user: Any) -> None:
    pair: Any = MentorPairFactory(
        organization=world.school_a, mentor=world.teacher_a, mentees=[teacher_at(world.school_a)]
    )
    services.check_in_create(
        user=teacher_user, pair=pair, date=datetime.date(2021, 10, 5), topic="Урок"
    )
    assert CheckIn.objects.count() == 1
    with pytest.raises(ValidationError):
        services.check_in_create(
            user=teacher_user, pair=pair, date=datetime.date(2020, 1, 1), topic="x"
        )


def test_school_mentoring_itself(world: Any, operator: Any) -> None:
    with pytest.raises(ValidationError, match="самой себе"):
        services.management_mentoring_create(
            user=operator,
            mentor_organization=world.school_a,
            mentee_organization=world.school_a,
            start_date=START,
        )
    assert ManagementMentoring.objects.count() == 0


def test_management_mentoring_scope_and_people(world: Any, tomsk_district_coordinator: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.management_mentoring_create(
            user=tomsk_district_coordinator,
            mentor_organization=world.school_a,
            mentee_organization=world.school_c,
            start_date=START,
        )
    with pytest.raises(ValidationError, match="не работает"):
        services.management_mentoring_create(
            user=tomsk_district_coordinator,
            mentor_organization=world.school_a,
            mentee_organization=world.school_b,
            start_date=START,
            mentor_people=[world.teacher_b],
        )
    link = services.management_mentoring_create(
        user=tomsk_district_coordinator,
        mentor_organization=world.school_a,
        mentee_organization=world.school_b,
        start_date=START,
        mentor_people=[world.teacher_a],
        mentee_people=[world.teacher_b],
        goals="Повышение результатов",
    )
    assert list(link.mentee_people.all()) == [world.teacher_b]
    assert ManagementMentoring.objects.count() == 1


def test_municipal_coordinator_pairs_across_schools(
    world: Any, tomsk_district_coordinator: Any
) -> None:
    pair = _create(tomsk_district_coordinator, world, mentor=world.teacher_b)
    assert pair.organization == world.school_a
    other = teacher_at(world.school_c)
    with pytest.raises(PermissionDenied):
        _create(tomsk_district_coordinator, world, mentees=[other])
