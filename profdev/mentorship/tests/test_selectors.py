import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from profdev.common.tests.factories import teacher_at
from profdev.mentorship import selectors, services
from profdev.mentorship.models import MentorPair, MentorshipSettings
from profdev.mentorship.tests.factories import CheckInFactory, MentorPairFactory, form
from profdev.people.models import Subject

pytestmark = pytest.mark.django_db


def _young(school: Any, **kwargs: Any) -> Any:
    start = timezone.localdate() - datetime.timedelta(days=200)
    return teacher_at(school, career_start=start, **kwargs)


def test_ranking_prefers_subject_school_category(world: Any, school_coordinator: Any) -> None:
    math = Subject.objects.create(name="Математика")
    mentee = _young(world.school_a, last_name="Юная")
    mentee.subjects.add(math)
    best = teacher_at(world.school_a, last_name="Лучшая", qualification_category="highest")
    best.subjects.add(math)
    same_school = teacher_at(world.school_a, last_name="Соседка")
    other_school = teacher_at(world.school_b, last_name="Дальняя")
    proposals = selectors.propose_mentors(mentee=mentee, user=school_coordinator)
    order = [p.teacher.pk for p in proposals]
    assert order.index(best.pk) < order.index(same_school.pk) < order.index(other_school.pk)
    assert world.teacher_c.pk not in order  # other municipality
    assert mentee.pk not in order
    reasons = dict(proposals[0].reasons)
    assert "Тот же предмет" in reasons and "Та же школа" in reasons


def test_young_specialists_are_not_proposed(world: Any) -> None:
    mentee = _young(world.school_a)
    other_young = _young(world.school_a)
    order = [p.teacher.pk for p in selectors.propose_mentors(mentee=mentee)]
    assert other_young.pk not in order


def test_over_cap_mentor_never_proposed(world: Any, school_coordinator: Any) -> None:
    settings = MentorshipSettings.load()
    settings.mentor_load_cap = 2
    settings.save()
    mentee = _young(world.school_a)
    MentorPairFactory(
        organization=world.school_a,
        mentor=world.teacher_a,
        mentees=[teacher_at(world.school_a), teacher_at(world.school_a)],
    )
    proposals = selectors.propose_mentors(mentee=mentee, user=school_coordinator)
    assert world.teacher_a.pk not in [p.teacher.pk for p in proposals]
    with pytest.raises(ValidationError, match="нагрузка"):
        services.match_confirm(
            user=school_coordinator,
            organization=world.school_a,
            mentee=mentee,
            mentor=world.teacher_a,
            form=form(),
            start_date=timezone.localdate(),
            planned_end=timezone.localdate() + datetime.timedelta(days=300),
        )
    # Under the cap (load 1 of 2) the mentor is proposed, with fewer load points.
    settings.mentor_load_cap = 3
    settings.save()
    proposal = next(
        p for p in selectors.propose_mentors(mentee=mentee) if p.teacher.pk == world.teacher_a.pk
    )
    assert proposal.load == 2


def test_confirm_creates_pair(world: Any, school_coordinator: Any) -> None:
    mentee = _young(world.school_a)
    pair = services.match_confirm(
        user=school_coordinator,
        organization=world.school_a,
        mentee=mentee,
        mentor=world.teacher_a,
        form=form(),
        start_date=timezone.localdate(),
        planned_end=timezone.localdate() + datetime.timedelta(days=300),
    )
    assert list(pair.mentees.all()) == [mentee]
    assert mentee not in selectors.young_specialists_without_mentor(user=school_coordinator)


def test_lists(world: Any, school_coordinator: Any, asino_coordinator: Any) -> None:
    today = timezone.localdate()
    waiting = _young(world.school_a)
    assert list(selectors.young_specialists_without_mentor(user=school_coordinator)) == [waiting]
    assert list(selectors.young_specialists_without_mentor(user=asino_coordinator)) == []
    pair: Any = MentorPairFactory(
        organization=world.school_a,
        mentor=world.teacher_a,
        mentees=[teacher_at(world.school_a)],
        start_date=today - datetime.timedelta(days=100),
        planned_end=today + datetime.timedelta(days=10),
    )
    assert list(selectors.pairs_ending_soon(user=school_coordinator)) == [pair]
    assert list(selectors.pairs_needing_attention(user=school_coordinator)) == [pair]
    CheckInFactory(pair=pair, date=today - datetime.timedelta(days=3))
    assert list(selectors.pairs_needing_attention(user=school_coordinator)) == []
    mentors: list[Any] = list(selectors.mentors_with_load(user=school_coordinator))
    assert mentors == [world.teacher_a] and mentors[0].load == 1
    assert list(selectors.pair_list(user=asino_coordinator)) == []
    assert MentorPair.objects.count() == 1
