"""Demo events 2021 → this year: 2–7 regional events a year (indicator 4 met in some years and
missed in others), some municipal events, and participants drawn from the demo teachers."""

import datetime
import random
from collections import defaultdict
from typing import Any

from profdev.common.bulk import create_with_history, insert_rows, update_with_history
from profdev.common.demo import DemoContext
from profdev.events.choices import EventFormat, EventKind, EventLevel, ParticipationRole
from profdev.events.models import Event, EventParticipation
from profdev.learning.choices import RouteStatus, StepKind, StepStatus
from profdev.learning.models import CompetenceArea, RouteStep
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


# Competence areas (deficits) each event targets, by the start of its title; route proposals
# offer an event to the teachers with these deficits.
AREAS_BY_TITLE = {
    "Региональная научно-практическая конференция «Наставничество": ("methodical", "communicative"),
    "Региональный педагогический форум": ("subject", "digital"),
    "Региональный этап конкурса «Учитель года»": ("subject", "methodical"),
    "Региональный семинар «Работа с профессиональными дефицитами": (
        "methodical",
        "psych_pedagogical",
    ),
    "Вебинар «Обновлённые ФГОС": ("subject", "methodical"),
    "Региональный семинар «Школы с низкими результатами": ("methodical",),
    "Региональная конференция молодых педагогов": ("psych_pedagogical", "communicative"),
    "Вебинар «Функциональная грамотность": ("methodical", "subject"),
    "Региональный конкурс «Лучшая практика наставничества»": ("communicative",),
    "Региональная методическая неделя": ("methodical", "digital"),
    "Муниципальный методический семинар": ("methodical",),
    "Муниципальный конкурс «Педагогический дебют»": ("subject",),
    "Августовская конференция": ("subject", "methodical"),
    "Муниципальный день наставника": ("communicative",),
    "Региональный вебинар «Цифровые инструменты учителя»": ("digital",),
    "Региональный семинар «Психолого-педагогическое сопровождение": ("psych_pedagogical",),
}
# Upcoming regional events of the next months, so a route built today is offered events too.
UPCOMING_TITLES = [
    (EventKind.WEBINAR, "Региональный вебинар «Цифровые инструменты учителя»"),
    (
        EventKind.SEMINAR,
        "Региональный семинар «Психолого-педагогическое сопровождение обучающихся»",
    ),
    (EventKind.SEMINAR, "Региональный семинар «Работа с профессиональными дефицитами педагогов»"),
    (EventKind.CONFERENCE, "Региональная конференция молодых педагогов"),
    (EventKind.WEBINAR, "Вебинар «Функциональная грамотность на уроке»"),
]


def _area_codes(title: str) -> tuple[str, ...]:
    for start, codes in AREAS_BY_TITLE.items():
        if title.startswith(start):
            return codes
    return ()


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

    # A separate generator: the upcoming events do not shift what the later apps draw.
    upcoming_rng = random.Random(f"upcoming-events-{ctx.today.isoformat()}")
    for offset, (kind, title) in enumerate(UPCOMING_TITLES):
        start = ctx.today + datetime.timedelta(days=20 + 35 * offset + upcoming_rng.randint(0, 20))
        add(
            Event(
                title=f"{title} — {start.year}",
                kind=kind,
                level=EventLevel.REGIONAL,
                start_date=start,
                end_date=start + datetime.timedelta(days=0 if kind == EventKind.WEBINAR else 1),
                format=_format_for(kind, upcoming_rng),
                organizer="ЦНППМ ТОИПКРО",
                organizer_organization=center,
                description="Приглашаются педагоги с соответствующими дефицитами по итогам "
                "диагностики.",
                region=region,
            ),
            [],
            [],
        )

    created = create_with_history(Event, new_events, batch_size=500)
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
    create_with_history(EventParticipation, rows)
    _seed_areas(ctx)
    linked, attended = _link_route_steps(ctx)
    ctx.extra["events"] = list(Event.objects.filter(region=region).order_by("start_date"))
    ctx.say(
        f"Мероприятия: создано {len(created)}, участий {len(rows)}; шагов ИОМ с мероприятием "
        f"{linked}, из них посещено {attended}"
    )


def _seed_areas(ctx: DemoContext) -> None:
    """The deficits each event targets, for the events that have none yet."""
    codes = dict(CompetenceArea.objects.values_list("code", "pk"))
    without = Event.objects.filter(region=ctx.region, areas__isnull=True).values_list("pk", "title")
    insert_rows(
        Event.areas.through,
        ["event_id", "competencearea_id"],
        [
            (event_id, codes[code])
            for event_id, title in without
            for code in _area_codes(title)
            if code in codes
        ],
    )


def _link_route_steps(ctx: DemoContext) -> tuple[int, int]:
    """Event steps of the demo routes point at a listed regional event targeting their deficits.

    The event falls in the step's period; when it is over the teacher took part, so the step is
    done with the event's dates (what `learning.services.complete_event_steps` does for one
    participant). Returns how many steps were linked and how many of them attended.
    """
    events = list(
        Event.objects.filter(
            region=ctx.region, level=EventLevel.REGIONAL, participant_count__isnull=True
        )
        .prefetch_related("areas")
        .order_by("start_date", "pk")
    )
    event_areas = {event.pk: {area.pk for area in event.areas.all()} for event in events}
    steps = list(
        RouteStep.objects.filter(
            kind=StepKind.EVENT,
            event__isnull=True,
            route__teacher_id__in=Employment.objects.filter(organization__region=ctx.region).values(
                "teacher_id"
            ),
        )
        .exclude(route__status=RouteStatus.CANCELLED)
        .select_related("route")
        .prefetch_related("areas")
        .order_by("pk")
    )
    attended = set(
        EventParticipation.objects.filter(
            event__region=ctx.region, teacher__isnull=False
        ).values_list("event_id", "teacher_id")
    )
    changed: list[RouteStep] = []
    new_participations: list[EventParticipation] = []
    for step in steps:
        wanted = {area.pk for area in step.areas.all()}
        match = next(
            (
                event
                for event in events
                if step.planned_start <= event.start_date
                and event.end_date <= step.planned_end
                and event_areas[event.pk] & wanted
            ),
            None,
        )
        if match is None:
            continue
        step.event = match
        step.title = match.title
        step.planned_start, step.planned_end = match.start_date, match.end_date
        teacher_id = step.route.teacher_id
        if match.end_date < ctx.today:
            step.status = StepStatus.DONE
            step.actual_start, step.actual_end = match.start_date, match.end_date
            if (match.pk, teacher_id) not in attended:
                attended.add((match.pk, teacher_id))
                new_participations.append(
                    EventParticipation(event_id=match.pk, teacher_id=teacher_id)
                )
        else:
            step.status = StepStatus.PLANNED
            step.actual_start = step.actual_end = None
        changed.append(step)
    create_with_history(EventParticipation, new_participations)
    update_with_history(
        RouteStep,
        changed,
        ["event", "title", "planned_start", "planned_end", "status", "actual_start", "actual_end"],
    )
    return len(changed), sum(1 for step in changed if step.status == StepStatus.DONE)
