"""Two reviewers act on one report at the same moment: exactly one transition happens."""

import datetime
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from profdev.roadmap import services
from profdev.roadmap.models import Report, ReportTransition
from profdev.roadmap.tests.factories import program_with_roadmap


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_race(
    world: Any, operator: Any, school_coordinator: Any, tomsk_district_coordinator: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite relies on the conditional UPDATE")
    from profdev.common.tests.factories import UserFactory

    second_reviewer = UserFactory(
        username="tomsk_district_2",
        role="municipal",
        region=world.tomsk,
        municipality=world.tomsk_district,
    )
    program = program_with_roadmap(world.tomsk)
    campaign = services.campaign_open(
        user=operator, program=program, year=2025, deadline=datetime.date(2026, 1, 20)
    )
    report = Report.objects.get(campaign=campaign, organization=world.school_a)
    for item in report.items.all():
        services.report_item_save(user=school_coordinator, item=item, status="done")
    services.report_submit(user=school_coordinator, report=report)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(user: Any, accept: bool) -> None:
        try:
            stale = Report.objects.get(pk=report.pk)
            barrier.wait()
            if accept:
                services.report_accept(user=user, report=stale)
            else:
                services.report_return(user=user, report=stale, comment="Доработать")
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(tomsk_district_coordinator, True)),
        threading.Thread(target=act, args=(second_reviewer, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    reviews = ReportTransition.objects.filter(report=report).exclude(to_status="submitted")
    assert reviews.count() == 1
    assert Report.objects.get(pk=report.pk).status == reviews.get().to_status
