import datetime
from typing import Any

import pytest
from django.utils import timezone

from profdev.common.tests.factories import teacher_at
from profdev.mentorship.models import ManagementMentoring, MentorPair
from profdev.mentorship.tests.factories import MentorPairFactory, form

pytestmark = pytest.mark.django_db

PAIRS = "/api/v1/mentorship/pairs/"


def test_pairs_scoped(
    world: Any, login: Any, school_coordinator: Any, asino_coordinator: Any
) -> None:
    pair: Any = MentorPairFactory(
        organization=world.school_a, mentor=world.teacher_a, mentees=[teacher_at(world.school_a)]
    )
    assert [row["id"] for row in login(school_coordinator).get(PAIRS).json()["results"]] == [
        pair.pk
    ]
    client = login(asino_coordinator)
    assert client.get(PAIRS).json()["results"] == []
    assert client.get(f"{PAIRS}{pair.pk}/").status_code == 404


def test_create_pair_and_bad_input(world: Any, login: Any, school_coordinator: Any) -> None:
    client = login(school_coordinator)
    mentee = teacher_at(world.school_a)
    payload = {
        "organization": world.school_a.pk,
        "mentor": world.teacher_a.pk,
        "mentees": [mentee.pk],
        "form": form().pk,
        "start_date": "2025-09-01",
        "planned_end": "2025-08-01",
    }
    response = client.post(PAIRS, payload, content_type="application/json")
    assert response.status_code == 400
    assert "раньше" in str(response.json())
    payload["mentees"] = [world.teacher_a.pk]
    payload["planned_end"] = "2026-06-01"
    response = client.post(PAIRS, payload, content_type="application/json")
    assert response.status_code == 400 and "своим наставляемым" in str(response.json())
    payload["mentees"] = [mentee.pk]
    assert client.post(PAIRS, payload, content_type="application/json").status_code == 201
    assert MentorPair.objects.count() == 1


def test_match_endpoint(world: Any, login: Any, school_coordinator: Any) -> None:
    mentee = teacher_at(
        world.school_a, career_start=timezone.localdate() - datetime.timedelta(days=30)
    )
    rows = login(school_coordinator).get(f"{PAIRS}match/", {"mentee": mentee.pk}).json()
    assert rows[0]["teacher"] == world.teacher_a.pk
    assert rows[0]["reasons"]
    assert (
        login(school_coordinator).get(f"{PAIRS}match/", {"mentee": world.teacher_c.pk}).status_code
        == 404
    )


def test_management_mentoring_self(world: Any, login: Any, operator: Any) -> None:
    response = login(operator).post(
        "/api/v1/mentorship/management/",
        {
            "mentor_organization": world.school_a.pk,
            "mentee_organization": world.school_a.pk,
            "start_date": "2025-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "самой себе" in str(response.json())
    assert ManagementMentoring.objects.count() == 0


def test_target_model_api_scope(world: Any, login: Any, school_coordinator: Any) -> None:
    client = login(school_coordinator)
    url = "/api/v1/mentorship/target-models/"
    ok = client.post(
        url,
        {
            "organization": world.school_a.pk,
            "local_act_number": "1",
            "local_act_date": "2024-01-10",
            "curator": world.teacher_a.pk,
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    denied = client.post(
        url,
        {"organization": world.school_b.pk, "local_act_number": "2"},
        content_type="application/json",
    )
    assert denied.status_code == 400  # school B is not a choice for this user
    attention = login(school_coordinator).get(PAIRS, {"attention": "true"})
    assert attention.status_code == 200
