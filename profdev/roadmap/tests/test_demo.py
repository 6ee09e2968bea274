"""The demo roadmap: a finished campaign and one in progress with late reports, idempotent."""

import datetime
import random
from typing import Any

import pytest

from profdev.common.demo import DemoContext
from profdev.common.tests.factories import OrganizationFactory
from profdev.roadmap import demo, selectors
from profdev.roadmap.models import Activity, Campaign, Report, ReportItem

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def ctx(world: Any, operator: Any, school_coordinator: Any) -> DemoContext:
    for number in range(30):  # enough schools for every state to occur
        OrganizationFactory(municipality=world.tomsk_district, name=f"МБОУ «СОШ № {number + 2}»")
    return DemoContext(
        rng=random.Random(1),
        scale=0.1,
        today=TODAY,
        region=world.tomsk,
        users={"operator": operator, "school": school_coordinator},
    )


def test_demo_seed_is_idempotent(ctx: DemoContext, world: Any) -> None:
    demo.seed(ctx)
    assert 20 <= Activity.objects.count() <= 30
    past = Campaign.objects.get(year=2024)
    current = Campaign.objects.get(status="open")
    assert past.status == "closed"
    # the last finished half-year is being reported on, its deadline already past
    assert (current.year, current.half) == (2026, 1)
    assert current.deadline == datetime.date(2026, 7, 20) < TODAY
    assert past.reports.filter(status="accepted").count() >= past.reports.count() // 2
    own = Report.objects.get(campaign=current, organization=world.school_a)
    assert own.status == "draft"
    assert not Report.objects.filter(submitted_at__date__gt=TODAY).exists()
    counts = (Activity.objects.count(), Report.objects.count(), ReportItem.objects.count())
    demo.seed(ctx)
    assert counts == (Activity.objects.count(), Report.objects.count(), ReportItem.objects.count())


def test_demo_campaigns_show_every_state(ctx: DemoContext, world: Any) -> None:
    demo.seed(ctx)
    current = Campaign.objects.get(status="open")
    _rows, total = selectors.campaign_completeness(user=None, campaign=current, today=TODAY)
    assert total.total == Report.objects.filter(campaign=current).count()
    counts = {
        name: getattr(total, name) for name in ("missing", "draft", "submitted", "accepted", "late")
    }
    assert all(counts.values()), counts
    assert total.waived == 1
    # late: still open after the deadline, and handed in after it
    late = Report.objects.filter(campaign=current)
    assert late.filter(status__in=["draft", "returned"]).exists()
    assert late.filter(submitted_at__date__gt=current.deadline).exists()
    past = Campaign.objects.get(year=2024)
    _rows, past_total = selectors.campaign_completeness(user=None, campaign=past, today=TODAY)
    assert past_total.accepted and past_total.late and past_total.missing == 0
