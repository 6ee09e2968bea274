"""Demo events 2021 → this year: 2–7 regional events a year (indicator 4 met in some years and
missed in others), some municipal events, and participants drawn from the demo teachers."""

import datetime
from collections import defaultdict
from typing import Any

from simple_history.utils import bulk_create_with_history

from profdev.common.demo import DemoContext
from profdev.events.choices import EventFormat, EventKind, EventLevel, ParticipationRole
from profdev.events.models import Event, EventParticipation
from profdev.people.models import Employment, active_employment_q

# Regional events per year where the story needs a fixed value: 2021 target 2 met,
# 2022 target 4 missed, 2023 target 4 met; later years are drawn.
FIXED_REGIONAL_COUNTS = {2021: 3, 2022: 3, 2023: 5}

REGIONAL_TITLES = [
    (
        EventKind.CONFERENCE,
        "Региональная научно-практическая конференция «Наставничество в образовании»",
    ),
    (EventKind.FORUM, "Региональный педагогический форум «Учитель будущего»"),
    (EventKind.CONTEST, "Региональный этап конкурса «Учитель года»"),
    (EventKind.SEMINAR, "Региональный семинар «Работа с профессиональными дефицитами педагогов»"),
    (EventKind.WEBINAR, "Вебинар «Обновлённые ФГОС: вопросы реализации»"),
    (
        EventKind.SEMINAR,
        "Региональный семинар «Школы с низкими результатами: управленческие решения»",
    ),
    (EventKind.CONFERENCE, "Региональная конференция молодых педагогов"),
    (EventKind.WEBINAR, "Вебинар «Функциональная грамотность на уроке»"),
    (EventKind.CONTEST, "Региональный конкурс «Лучшая практика наставничества»"),
    (EventKind.OTHER, "Региональная методическая неделя"),
]
MUNICIPAL_TITLES = [
    (EventKind.SEMINAR, "Муниципальный методический семинар"),
    (EventKind.CONTEST, "Муниципальный конкурс «Педагогический дебют»"),
    (EventKind.CONFERENCE, "Августовская конференция педагогических работников"),
    (EventKind.OTHER, "Муниципальный день наставника"),
]


def _date_in(rng: Any, year: int, today: datetime.date) -> datetime.date:
    month = rng.randint(2, 11)
    day = rng.randint(1, 28)
    start = datetime.date(year, month, day)
    # keep most of this year's events in the past; a few stay planned
    if start > today and year == today.year and rng.random() < 0.7:
        start = max(datetime.date(year, 1, 10), today - datetime.timedelta(days=rng.randint(1, 60)))
    return start


def _format_for(kind: str, rng: Any) -> str:
    if kind == EventKind.WEBINAR:
        return EventFormat.REMOTE
    return rng.choice([EventFormat.IN_PERSON, EventFormat.IN_PERSON, EventFormat.MIXED])


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    region = ctx.region
    center = ctx.center
    existing = {
        (title, start)
        for title, start in Event.objects.filter(region=region).values_list("title", "start_date")
    }
    teachers_by_municipality: dict[int, list[int]] = defaultdict(list)
    for teacher_id, municipality_id in (
        Employment.objects.filter(active_employment_q(on=ctx.today), organization__region=region)
        .values_list("teacher_id", "organization__municipality_id")
        .order_by("teacher_id", "pk")
    ):
        # a teacher may hold two jobs in one municipality: list them once
        if teacher_id not in teachers_by_municipality[municipality_id][-1:]:
            teachers_by_municipality[municipality_id].append(teacher_id)
    schools_by_municipality: dict[int, list[Any]] = defaultdict(list)
    for school in ctx.schools:
        schools_by_municipality[school.municipality_id].append(school)
    teacher_ids = list(dict.fromkeys(t.pk for t in ctx.teachers))

    new_events: list[Event] = []
    participants: list[tuple[int, list[int], list[int]]] = []  # index, teachers, orgs

    def add(event: Event, teachers: list[int], orgs: list[int]) -> None:
        if (event.title, event.start_date) in existing:
            return
        existing.add((event.title, event.start_date))
        participants.append((len(new_events), teachers, orgs))
        new_events.append(event)

    for year in range(2021, ctx.today.year + 1):
        count = FIXED_REGIONAL_COUNTS.get(year) or rng.randint(2, 7)
        for kind, title in rng.sample(REGIONAL_TITLES, count):
            start = _date_in(rng, year, ctx.today)
            length = 0 if kind == EventKind.WEBINAR else rng.choice([0, 0, 1, 2])
            listed = kind != EventKind.WEBINAR and rng.random() < 0.8
            teachers = rng.sample(teacher_ids, min(len(teacher_ids), rng.randint(15, 70)))
            orgs = [s.pk for s in rng.sample(ctx.schools, min(len(ctx.schools), rng.randint(0, 8)))]
            add(
                Event(
                    title=f"{title} — {year}",
                    kind=kind,
                    level=EventLevel.REGIONAL,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=length),
                    format=_format_for(kind, rng),
                    organizer="ЦНППМ ТОИПКРО",
                    organizer_organization=center,
                    description="",
                    region=region,
                    participant_count=None if listed else rng.randint(80, 600),
                ),
                teachers if listed else [],
                orgs if listed else [],
            )
        for municipality in rng.sample(ctx.municipalities, min(len(ctx.municipalities), 6)):
            for kind, title in rng.sample(MUNICIPAL_TITLES, rng.randint(0, 2)):
                start = _date_in(rng, year, ctx.today)
                pool = teachers_by_municipality.get(municipality.pk, [])
                teachers = rng.sample(pool, min(len(pool), rng.randint(5, 25)))
                local_schools = schools_by_municipality.get(municipality.pk, [])
                orgs = [s.pk for s in rng.sample(local_schools, min(len(local_schools), 3))]
                add(
                    Event(
                        title=f"{title} ({municipality.name}) — {year}",
                        kind=kind,
                        level=EventLevel.MUNICIPAL,
                        start_date=start,
                        end_date=start,
                        format=_format_for(kind, rng),
                        organizer=f"Управление образования: {municipality.name}",
                        region=region,
                        municipality=municipality,
                    ),
                    teachers,
                    orgs,
                )

    created = bulk_create_with_history(new_events, Event, batch_size=500)
    rows: list[EventParticipation] = []
    for index, teachers, orgs in participants:
        event = created[index]
        for teacher_id in teachers:
            role = (
                ParticipationRole.SPEAKER if rng.random() < 0.05 else ParticipationRole.PARTICIPANT
            )
            rows.append(EventParticipation(event_id=event.pk, teacher_id=teacher_id, role=role))
        for org_id in orgs:
            rows.append(
                EventParticipation(
                    event_id=event.pk, organization_id=org_id, role=ParticipationRole.PARTICIPANT
                )
            )
    bulk_create_with_history(rows, EventParticipation, batch_size=2000)
    ctx.extra["events"] = list(Event.objects.filter(region=region).order_by("start_date"))
    ctx.say(f"Мероприятия: создано {len(created)}, участий {len(rows)}")
