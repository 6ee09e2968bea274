"""factory_boy factories for events."""

import datetime

import factory

from profdev.common.tests.factories import RegionFactory
from profdev.events.choices import EventFormat, EventKind, EventLevel
from profdev.events.models import Event, EventParticipation


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Региональный семинар № {n}")
    kind = EventKind.SEMINAR
    level = EventLevel.REGIONAL
    start_date = datetime.date(2023, 3, 15)
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    format = EventFormat.IN_PERSON
    organizer = "ТОИПКРО"
    region = factory.SubFactory(RegionFactory)


class EventParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventParticipation

    event = factory.SubFactory(EventFactory)
