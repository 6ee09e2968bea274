"""Demo events: indicator 4 met in some years and missed in others; a second run adds nothing."""

import datetime

import pytest
from django.core.management import call_command

from profdev.events.choices import EventLevel
from profdev.events.models import Event, EventParticipation


@pytest.mark.django_db
def test_seed_demo_events_is_deterministic_and_idempotent():
    call_command("seed_demo", scale=0.03, today=datetime.date(2026, 11, 23), verbosity=0)
    events = Event.objects.count()
    participations = EventParticipation.objects.count()
    assert events > 0 and participations > 0
    regional = Event.objects.filter(level=EventLevel.REGIONAL)
    per_year = {year: regional.filter(start_date__year=year).count() for year in range(2021, 2027)}
    assert per_year[2021] >= 2  # target 2 met
    assert per_year[2022] < 4  # target 4 missed
    assert per_year[2023] >= 4  # target 4 met
    assert all(2 <= n <= 7 for n in per_year.values())
    assert Event.objects.filter(level=EventLevel.MUNICIPAL, municipality__isnull=False).exists()
    for event in Event.objects.all():
        event.full_clean()
    call_command("seed_demo", scale=0.03, today=datetime.date(2026, 11, 23), verbosity=0)
    assert Event.objects.count() == events
    assert EventParticipation.objects.count() == participations
