import datetime
import random
from typing import Any

import pytest

from profdev.common.demo import DemoContext
from profdev.common.tests.factories import teacher_at
from profdev.mentorship import demo
from profdev.mentorship.models import CheckIn, ManagementMentoring, MentorPair, TargetModel
from profdev.orgs.models import Municipality, Organization

pytestmark = pytest.mark.django_db


def _ctx() -> DemoContext:
    return DemoContext(
        rng=random.Random(7),
        scale=0.1,
        today=datetime.date(2026, 11, 23),
        municipalities=list(Municipality.objects.all()),
        schools=list(Organization.objects.filter(kind="school")),
    )


def test_demo_is_deterministic_and_idempotent(world: Any) -> None:
    for school in (world.school_a, world.school_b, world.school_c):
        for n in range(6):
            teacher_at(
                school,
                career_start=datetime.date(2000 + n, 9, 1),
                employment_start_date=datetime.date(2015, 1, 1),
            )
        teacher_at(
            school,
            career_start=datetime.date(2025, 9, 1),
            employment_start_date=datetime.date(2020, 1, 1),
        )
    demo.seed(_ctx())
    counts = [m.objects.count() for m in (TargetModel, MentorPair, CheckIn, ManagementMentoring)]
    demo.seed(_ctx())
    assert [
        m.objects.count() for m in (TargetModel, MentorPair, CheckIn, ManagementMentoring)
    ] == counts
    for pair in MentorPair.objects.all():
        assert pair.mentor_id not in set(pair.mentees.values_list("pk", flat=True))
        assert pair.mentees.exists()
