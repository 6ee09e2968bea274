"""API: scope, the workflow through POST actions and clear refusals."""

import datetime
from typing import Any

import pytest

from profdev.roadmap import services
from profdev.roadmap.models import Report
from profdev.roadmap.tests.factories import program_with_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world: Any, operator: Any) -> Report:
    program = program_with_roadmap(world.tomsk)
    campaign = services.campaign_open(
        user=operator, program=program, year=2025, deadline=datetime.date(2026, 1, 20)
    )
    return Report.objects.get(campaign=campaign, organization=world.school_a)


def test_api_workflow(
    login: Any, report: Report, school_coordinator: Any, tomsk_district_coordinator: Any
) -> None:
    client = login(school_coordinator)
    url = f"/api/v1/roadmap/reports/{report.pk}/"
    listing = client.get("/api/v1/roadmap/reports/").json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert [r["id"] for r in rows] == [report.pk]
    refused = client.post(url + "submit/")
    assert refused.status_code == 400
    assert "Не заполнены обязательные мероприятия" in str(refused.json())
    for item in report.items.all():
        response = client.post(
            url + f"items/{item.pk}/",
            {"status": "done", "figures": {"pairs": 1, "teachers": 5}},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    assert client.post(url + "submit/").json()["status"] == "submitted"
    locked = client.post(
        url + f"items/{report.items.first().pk}/",
        {"status": "partly"},
        content_type="application/json",
    )
    assert "недоступен для редактирования" in str(locked.json())
    client = login(tomsk_district_coordinator)
    assert client.post(url + "accept/").json()["status"] == "accepted"
    again = client.post(url + "reopen/", {"comment": "x"}, content_type="application/json")
    assert again.status_code == 403
    assert "только региональный оператор" in str(again.json())


def test_api_outsiders(
    login: Any, report: Report, asino_coordinator: Any, other_region_operator: Any
) -> None:
    url = f"/api/v1/roadmap/reports/{report.pk}/"
    assert login(asino_coordinator).get(url).status_code == 404
    assert login(asino_coordinator).post(url + "accept/").status_code == 404
    assert login(other_region_operator).get("/api/v1/roadmap/campaigns/").json()["count"] == 0
