"""Demo mentorship 2021..today: target models, pairs with check-ins, management-team links.

Schools adopt the target model in different years and municipalities differ in zeal, so the
region and its municipalities land on both sides of the indicator 6 and 7 targets. A few
schools miss one element (no curator, an act but no pairs) so the rule's explanation has
something to show. Idempotent: records are matched on natural keys.
"""

import datetime
import random
from collections import defaultdict
from typing import Any

from simple_history.utils import bulk_create_with_history

from profdev.common.demo import DemoContext
from profdev.mentorship.choices import ManagementMentoringStatus, PairStatus
from profdev.mentorship.models import (
    CheckIn,
    ManagementMentoring,
    MentoringForm,
    MentorPair,
    TargetModel,
)
from profdev.people.choices import EmploymentKind, Position
from profdev.people.models import Employment

FIRST_YEAR = 2021
TOPICS = [
    "Планирование урока",
    "Разбор открытого урока",
    "Работа с родителями",
    "Классное руководство",
    "Подготовка к ВПР",
    "Формирующее оценивание",
    "Индивидуальный образовательный маршрут",
    "Дисциплина на уроке",
]
GOALS = [
    "Адаптация молодого специалиста в коллективе",
    "Освоение методики формирующего оценивания",
    "Подготовка к аттестации на квалификационную категорию",
    "Повышение качества проведения уроков",
]


def _date_in(rng: random.Random, year: int, months: tuple[int, int]) -> datetime.date:
    return datetime.date(year, rng.randint(*months), rng.randint(1, 28))


def seed(ctx: DemoContext) -> None:
    # One draw from the shared generator whatever we create; separate streams per part so that
    # skipping existing records on a second run never shifts what the next part generates.
    base = random.Random(ctx.rng.random())
    rng, check_in_rng, management_rng = (random.Random(base.random()) for _ in range(3))
    today = ctx.today
    schools = [s for s in ctx.schools if s.kind == "school"]
    if not schools:
        return
    forms = {f.code: f for f in MentoringForm.objects.all()}
    staff: dict[int, list[tuple[int, datetime.date | None, str, datetime.date]]] = defaultdict(list)
    for teacher_id, org_id, career_start, position, start in (
        Employment.objects.filter(
            organization__in=schools, kind=EmploymentKind.MAIN, end_date__isnull=True
        )
        .order_by("organization_id", "teacher_id")
        .values_list(
            "teacher_id", "organization_id", "teacher__career_start", "position", "start_date"
        )
    ):
        staff[org_id].append((teacher_id, career_start, position, start))

    zeal = {m.pk: rng.uniform(0.3, 1.8) for m in sorted(ctx.municipalities, key=lambda m: m.pk)}
    targets: list[TargetModel] = []
    pair_specs: list[dict[str, Any]] = []
    for school in schools:
        people = staff.get(school.pk, [])
        factor = zeal.get(school.municipality_id, 1.0)
        roll = rng.random()
        adoption = None
        for year, share in ((2021, 0.14), (2022, 0.26), (2023, 0.34), (2024, 0.42), (2025, 0.5)):
            if year <= today.year and roll < share * factor:
                adoption = year
                break
        partial = rng.random()
        if adoption is None:
            if partial < 0.12 and people:  # an act was adopted, nothing else yet
                targets.append(
                    TargetModel(
                        organization=school,
                        local_act_number=f"{rng.randint(1, 199)}-ОД",
                        local_act_date=_date_in(rng, today.year, (1, max(1, today.month))),
                    )
                )
            continue
        veterans = [p for p in people if p[1] is not None and (today - p[1]).days > 5 * 365]
        if not veterans:
            continue
        act_date = _date_in(rng, adoption, (1, 8))
        curator = rng.choice(veterans)[0] if partial > 0.06 else None
        targets.append(
            TargetModel(
                organization=school,
                local_act_number=f"{rng.randint(1, 199)}-ОД",
                local_act_date=act_date,
                curator_id=curator,
                program_title=f"Программа наставничества педагогических работников на {adoption}–{adoption + 3} гг.",
                program_start=act_date,
                program_end=datetime.date(adoption + 3, 8, 31),
            )
        )
        stops = adoption + rng.randint(1, 4) if partial > 0.94 else None  # pairs lapse
        busy_mentors: set[int] = set()
        busy_mentees: set[int] = set()
        for year in range(adoption, today.year + 1):
            if stops is not None and year >= stops:
                break
            for _n in range(rng.choice([1, 1, 2, 2, 3])):
                start = _date_in(rng, year, (1, 10) if year == adoption else (9, 10))
                if start > today:
                    continue
                planned_end = start + datetime.timedelta(days=rng.choice([270, 300, 365]))
                mentors = [p for p in veterans if p[0] not in busy_mentors and p[3] <= start]
                mentees = [
                    p
                    for p in people
                    if p[0] not in busy_mentees and p[3] <= start and p not in veterans
                ] or [p for p in people if p[0] not in busy_mentees and p[3] <= start]
                if not mentors or not mentees:
                    continue
                mentor = rng.choice(mentors)
                mentees = [p for p in mentees if p[0] != mentor[0]]
                if not mentees:
                    continue
                group = rng.sample(mentees, k=min(len(mentees), rng.choice([1, 1, 1, 2])))
                young = all(p[1] is not None and (start - p[1]).days < 3 * 365 for p in group)
                if young:
                    form = forms["experienced_young"]
                elif mentor[2] in (Position.DIRECTOR, Position.DEPUTY_DIRECTOR):
                    form = forms["manager_teacher"]
                else:
                    form = forms["teacher_teacher"]
                status, end_date = PairStatus.ACTIVE, None
                if planned_end < today:
                    if rng.random() < 0.1:
                        status = PairStatus.INTERRUPTED
                        end_date = start + (planned_end - start) / 2
                    else:
                        status, end_date = PairStatus.COMPLETED, planned_end
                else:
                    busy_mentors.add(mentor[0])
                    busy_mentees.update(p[0] for p in group)
                pair_specs.append(
                    {
                        "pair": MentorPair(
                            organization=school,
                            mentor_id=mentor[0],
                            form=form,
                            start_date=start,
                            planned_end=planned_end,
                            end_date=end_date,
                            status=status,
                            goals=rng.choice(GOALS),
                            outcome="Цели достигнуты" if status == PairStatus.COMPLETED else "",
                        ),
                        "mentees": [p[0] for p in group],
                        "lapsed": rng.random() < 0.15,  # an active pair that stopped meeting
                    }
                )

    existing_targets = set(
        TargetModel.objects.filter(organization__in=schools).values_list(
            "organization_id", flat=True
        )
    )
    new_targets = [t for t in targets if t.organization_id not in existing_targets]
    bulk_create_with_history(new_targets, TargetModel, batch_size=1000)

    existing_pairs = set(
        MentorPair.objects.filter(organization__in=schools).values_list(
            "organization_id", "mentor_id", "start_date"
        )
    )
    fresh = [
        spec
        for spec in pair_specs
        if (spec["pair"].organization_id, spec["pair"].mentor_id, spec["pair"].start_date)
        not in existing_pairs
    ]
    check_in_specs: list[tuple[tuple[int, int, datetime.date], datetime.date, str]] = []
    for spec in fresh:
        pair = spec["pair"]
        last = min(pair.end_date or today, today)
        if spec["lapsed"] and pair.status == PairStatus.ACTIVE:
            last = min(last, today - datetime.timedelta(weeks=10))
        day = pair.start_date + datetime.timedelta(days=check_in_rng.randint(3, 14))
        while day <= last:
            check_in_specs.append(
                (
                    (pair.organization_id, pair.mentor_id, pair.start_date),
                    day,
                    check_in_rng.choice(TOPICS),
                )
            )
            day += datetime.timedelta(days=check_in_rng.randint(18, 40))
    if fresh:
        bulk_create_with_history([s["pair"] for s in fresh], MentorPair, batch_size=1000)
        by_key = {
            (p.organization_id, p.mentor_id, p.start_date): p.pk
            for p in MentorPair.objects.filter(organization__in=schools)
        }
        MentorPair.mentees.through.objects.bulk_create(
            [
                MentorPair.mentees.through(
                    mentorpair_id=by_key[
                        (s["pair"].organization_id, s["pair"].mentor_id, s["pair"].start_date)
                    ],
                    teacher_id=teacher_id,
                )
                for s in fresh
                for teacher_id in s["mentees"]
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        bulk_create_with_history(
            [
                CheckIn(pair_id=by_key[key], date=day, topic=topic)
                for key, day, topic in check_in_specs
            ],
            CheckIn,
            batch_size=2000,
        )
    _seed_management(ctx, management_rng, schools, staff)
    ctx.say(
        f"Наставничество: целевых моделей {len(new_targets)}, пар {len(fresh)}, "
        f"встреч {len(check_in_specs)}"
    )


def _seed_management(
    ctx: DemoContext,
    rng: random.Random,
    schools: list[Any],
    staff: dict[int, list[tuple[int, datetime.date | None, str, datetime.date]]],
) -> None:
    """Management-team links: strong schools mentor (mostly ШНОР) schools of their municipality."""
    today = ctx.today
    by_municipality: dict[int, list[Any]] = defaultdict(list)
    for school in schools:
        by_municipality[school.municipality_id].append(school)
    specs: list[tuple[Any, Any, datetime.date, datetime.date | None, str]] = []
    busy_until: dict[int, datetime.date] = {}
    rates = ((2021, 0.1), (2022, 0.12), (2023, 0.1), (2024, 0.09), (2025, 0.09), (2026, 0.08))
    for year, rate in rates:
        if year > today.year:
            break
        for _n in range(max(1, round(len(schools) * rate / 2))):
            jan1 = datetime.date(year, 1, 1)
            free = [s for s in schools if busy_until.get(s.pk, jan1) <= jan1]
            if not free:
                break
            weak = [s for s in free if s.low_results]
            mentee = rng.choice(weak) if weak and rng.random() < 0.6 else rng.choice(free)
            neighbours = [
                s
                for s in by_municipality[mentee.municipality_id]
                if s.pk != mentee.pk and not s.low_results and s in free
            ]
            if not neighbours:
                continue
            mentor = rng.choice(neighbours)
            start = _date_in(rng, year, (1, 10))
            if start > today:
                continue
            end = start + datetime.timedelta(days=rng.choice([300, 365, 540]))
            status: str = ManagementMentoringStatus.ACTIVE
            end_date: datetime.date | None = end
            if end < today:
                status = ManagementMentoringStatus.COMPLETED
            else:
                end_date = None
            specs.append((mentor, mentee, start, end_date, status))
            busy_until[mentor.pk] = busy_until[mentee.pk] = end
    existing = set(
        ManagementMentoring.objects.values_list(
            "mentor_organization_id", "mentee_organization_id", "start_date"
        )
    )
    seen = set(existing)
    new_links = []
    for mentor, mentee, start, end_date, status in specs:
        key = (mentor.pk, mentee.pk, start)
        if key in seen:
            continue
        seen.add(key)
        new_links.append(
            ManagementMentoring(
                mentor_organization=mentor,
                mentee_organization=mentee,
                start_date=start,
                end_date=end_date,
                status=status,
                goals="Повышение качества управления и образовательных результатов",
            )
        )
    if not new_links:
        return
    bulk_create_with_history(new_links, ManagementMentoring, batch_size=1000)
    by_key = {
        (m.mentor_organization_id, m.mentee_organization_id, m.start_date): m.pk
        for m in ManagementMentoring.objects.all()
    }

    def managers(org_id: int) -> list[int]:
        return [
            p[0]
            for p in staff.get(org_id, [])
            if p[2] in (Position.DIRECTOR, Position.DEPUTY_DIRECTOR)
        ][:2]

    mentor_links, mentee_links = [], []
    for link in new_links:
        pk = by_key[(link.mentor_organization_id, link.mentee_organization_id, link.start_date)]
        mentor_links += [
            ManagementMentoring.mentor_people.through(managementmentoring_id=pk, teacher_id=t)
            for t in managers(link.mentor_organization_id)
        ]
        mentee_links += [
            ManagementMentoring.mentee_people.through(managementmentoring_id=pk, teacher_id=t)
            for t in managers(link.mentee_organization_id)
        ]
    ManagementMentoring.mentor_people.through.objects.bulk_create(
        mentor_links, ignore_conflicts=True
    )
    ManagementMentoring.mentee_people.through.objects.bulk_create(
        mentee_links, ignore_conflicts=True
    )
    ctx.say(f"Менторство управленческих команд: новых связей {len(new_links)}")
