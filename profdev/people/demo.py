"""Demo people: ~12,000 teachers with plausible Russian names and valid SNILS, and the Center's staff."""

import datetime
import random
from typing import Any

from simple_history.utils import bulk_create_with_history

from profdev.common.demo import DemoContext
from profdev.common.identifiers import make_snils
from profdev.orgs.demo_data import (
    FATHER_NAMES,
    FEMALE_FIRST,
    MALE_FIRST,
    MALE_LAST,
    SUBJECTS,
    female_last_name,
)
from profdev.people.choices import EmploymentKind, Position, QualificationCategory, StaffPosition
from profdev.people.models import CenterStaff, Employment, Subject, Teacher

TEACHERS_AT_SCALE_1 = 12_000
SNILS_BASE = 112_000_000  # demo SNILS serials start here; all pass the checksum
QUALIFICATION_WEIGHTS = [
    (QualificationCategory.NONE, 25),
    (QualificationCategory.CONFORMITY, 20),
    (QualificationCategory.FIRST, 30),
    (QualificationCategory.HIGHEST, 25),
]


def _person_name(rng: random.Random) -> tuple[str, str, str]:
    female = rng.random() < 0.82  # most Russian school teachers are women
    last = rng.choice(MALE_LAST)
    father = rng.choice(FATHER_NAMES)
    if female:
        return female_last_name(last), rng.choice(FEMALE_FIRST), father[1]
    return last, rng.choice(MALE_FIRST), father[0]


def _school_sizes(ctx: DemoContext) -> list[int]:
    """Teachers per school: city schools are bigger; totals about 12,000 × scale."""
    weights = [
        3.0 if s.municipality.name in ("Город Томск", "ЗАТО Северск") else 1.4 for s in ctx.schools
    ]
    total = TEACHERS_AT_SCALE_1 * ctx.scale
    factor = total / sum(weights)
    return [max(6, round(w * factor * ctx.rng.uniform(0.8, 1.2))) for w in weights]


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    subjects = {}
    for name in SUBJECTS:
        subjects[name], _ = Subject.objects.get_or_create(name=name)
    today = ctx.today
    teacher_specs: list[dict[str, Any]] = []
    employment_specs: list[tuple[str, Any, str, str, datetime.date, datetime.date | None]] = []
    serial = SNILS_BASE
    schools_by_municipality: dict[int, list] = {}
    for school in ctx.schools:
        schools_by_municipality.setdefault(school.municipality_id, []).append(school)
    for school, size in zip(ctx.schools, _school_sizes(ctx), strict=True):
        for index in range(size):
            serial += rng.randint(1, 9)
            last, first, middle = _person_name(rng)
            young = rng.random() < 0.13
            years = rng.uniform(0.1, 2.9) if young else rng.uniform(3.2, 38)
            career_start = today - datetime.timedelta(days=int(years * 365.25))
            if index == 0:
                position = Position.DIRECTOR
            elif index <= (3 if size > 30 else 1):
                position = Position.DEPUTY_DIRECTOR
            else:
                position = rng.choices(
                    [
                        Position.TEACHER,
                        Position.PSYCHOLOGIST,
                        Position.SOCIAL_PEDAGOGUE,
                        Position.ADDITIONAL_EDUCATION,
                        Position.ADVISOR,
                    ],
                    weights=[88, 3, 3, 4, 2],
                )[0]
            snils = make_snils(serial)
            teacher_specs.append(
                {
                    "snils": snils,
                    "last_name": last,
                    "first_name": first,
                    "middle_name": middle,
                    "career_start": career_start,
                    "qualification_category": QualificationCategory.NONE
                    if young
                    else rng.choices(
                        [c for c, _w in QUALIFICATION_WEIGHTS],
                        weights=[w for _c, w in QUALIFICATION_WEIGHTS],
                    )[0],
                    "subjects": rng.sample(SUBJECTS, k=rng.choice([1, 1, 1, 2])),
                }
            )
            hired = max(
                career_start, today - datetime.timedelta(days=int(rng.uniform(0.1, 15) * 365.25))
            )
            employment_specs.append((snils, school, position, EmploymentKind.MAIN, hired, None))
            roll = rng.random()
            if roll < 0.04:  # a second job at another school of the municipality
                neighbours = schools_by_municipality[school.municipality_id]
                other = rng.choice(neighbours)
                if other.pk != school.pk:
                    employment_specs.append(
                        (snils, other, Position.TEACHER, EmploymentKind.PART_TIME, hired, None)
                    )
            elif roll < 0.045:  # a second job in another municipality
                other = rng.choice(ctx.schools)
                if other.municipality_id != school.municipality_id:
                    employment_specs.append(
                        (snils, other, Position.TEACHER, EmploymentKind.PART_TIME, hired, None)
                    )
            elif roll < 0.09 and hired.year > 2016:  # an earlier job that ended
                other = rng.choice(ctx.schools)
                start = hired - datetime.timedelta(days=rng.randint(400, 2000))
                if start > career_start and other.pk != school.pk:
                    employment_specs.append(
                        (
                            snils,
                            other,
                            Position.TEACHER,
                            EmploymentKind.MAIN,
                            start,
                            hired - datetime.timedelta(days=1),
                        )
                    )

    existing = set(
        Teacher.objects.filter(snils__in=[s["snils"] for s in teacher_specs]).values_list(
            "snils", flat=True
        )
    )
    new_teachers = [
        Teacher(**{k: v for k, v in spec.items() if k != "subjects"})
        for spec in teacher_specs
        if spec["snils"] not in existing
    ]
    if new_teachers:
        bulk_create_with_history(new_teachers, Teacher, batch_size=1000)
    by_snils = {
        t.snils: t for t in Teacher.objects.filter(snils__in=[s["snils"] for s in teacher_specs])
    }
    if new_teachers:
        links = [
            Teacher.subjects.through(
                teacher_id=by_snils[spec["snils"]].pk, subject_id=subjects[name].pk
            )
            for spec in teacher_specs
            if spec["snils"] not in existing
            for name in spec["subjects"]
        ]
        Teacher.subjects.through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
        new_employments = [
            Employment(
                teacher=by_snils[snils],
                organization=school,
                position=position,
                kind=kind,
                is_management=position in (Position.DIRECTOR, Position.DEPUTY_DIRECTOR),
                start_date=start,
                end_date=end,
            )
            for snils, school, position, kind, start, end in employment_specs
            if snils not in existing
        ]
        bulk_create_with_history(new_employments, Employment, batch_size=1000)
    ctx.teachers = [by_snils[spec["snils"]] for spec in teacher_specs]
    ctx.say(f"Педагогов: {len(ctx.teachers)} (новых {len(new_teachers)})")
    _seed_staff(ctx)


def _seed_staff(ctx: DemoContext) -> None:
    rng = ctx.rng
    count = max(4, round(24 * min(ctx.scale, 1.0)))
    specs = []
    for index in range(count):
        last, first, middle = _person_name(rng)
        position = (
            StaffPosition.HEAD
            if index == 0
            else rng.choice(
                [
                    StaffPosition.METHODIST,
                    StaffPosition.METHODIST,
                    StaffPosition.TUTOR,
                    StaffPosition.EXPERT,
                ]
            )
        )
        start = datetime.date(
            rng.choice([2019, 2020, 2021, 2021, 2022, 2023, 2024]), rng.randint(1, 12), 1
        )
        specs.append((f"staff{index:03d}@toipkro.ru", last, first, middle, position, start))
    existing = set(
        CenterStaff.objects.filter(organization=ctx.center).values_list("email", flat=True)
    )
    new = [
        CenterStaff(
            organization=ctx.center,
            email=email,
            last_name=last,
            first_name=first,
            middle_name=middle,
            position=position,
            start_date=start,
        )
        for email, last, first, middle, position, start in specs
        if email not in existing
    ]
    if new:
        bulk_create_with_history(new, CenterStaff)
    ctx.staff = list(
        CenterStaff.objects.filter(
            organization=ctx.center, email__in=[s[0] for s in specs]
        ).order_by("email")
    )
    ctx.say(f"Сотрудников ЦНППМ: {len(ctx.staff)}")
