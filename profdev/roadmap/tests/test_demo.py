"""The demo roadmap: two campaigns, a finished one and one in progress, idempotent."""

import datetime
import random
from typing import Any

import pytest

from profdev.common.demo import DemoContext
from profdev.roadmap import demo
from profdev.roadmap.models import Activity, Campaign, Report, ReportItem

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(world: Any, operator: Any, school_coordinator: Any) -> None:
    ctx = DemoContext(
        rng=random.Random(1),
        scale=0.1,
        today=datetime.date(2026, 11, 23),
        region=world.tomsk,
        users={"operator": operator, "school": school_coordinator},
    )
    demo.seed(ctx)
    assert 20 <= Activity.objects.count() <= 30
    past = Campaign.objects.get(year=2024)
    current = Campaign.objects.get(year=2026)
    assert past.status == "closed" and current.status == "open" and current.half == 2
    assert past.reports.filter(status="accepted").count() >= past.reports.count() // 2
    own = Report.objects.get(campaign=current, organization=world.school_a)
    assert own.status == "draft"
    counts = (Activity.objects.count(), Report.objects.count(), ReportItem.objects.count())
    demo.seed(ctx)
    assert counts == (Activity.objects.count(), Report.objects.count(), ReportItem.objects.count())
