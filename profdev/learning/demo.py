"""Demo learning records 2021..today: programs, cohorts, enrollments, diagnostics, routes, training.

Volumes follow the indicators: routes approved or later for ~3–15 % of a municipality's teachers
a year, Center course completions at a similar rate, management-team courses for ~5–20 % of
schools, and nearly all Center staff trained at the Federal Operator from 2022 on.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from profdev.common.bulk import create_with_history, insert_rows
from profdev.common.demo import DemoContext
from profdev.learning.choices import (
    EnrollmentStatus,
    ProgramAudience,
    ProgramFormat,
    ProgramProvider,
    RouteStatus,
    StepKind,
    StepStatus,
)
from profdev.learning.models import (
    Cohort,
    CompetenceArea,
    Diagnostic,
    DiagnosticScore,
    Enrollment,
    Program,
    Route,
    RouteStep,
    RouteTransition,
    StaffTraining,
)
from profdev.people.models import Employment, active_employment_q

FIRST_YEAR = 2021
INSTRUMENT = "Диагностика профессиональных дефицитов (ФИОКО, ЕФС)"
D = datetime.date

# title, hours, format, audience, provider, areas
PROGRAMS: list[tuple[str, int, str, str, str, tuple[str, ...]]] = [
    (
        "Реализация требований обновлённых ФГОС НОО, ФГОС ООО в работе учителя",
        36,
        "blended",
        "teachers",
        "center",
        ("subject", "methodical"),
    ),
    (
        "Школа современного учителя математики",
        100,
        "blended",
        "teachers",
        "center",
        ("subject", "methodical"),
    ),
    (
        "Школа современного учителя русского языка и литературы",
        100,
        "blended",
        "teachers",
        "center",
        ("subject",),
    ),
    (
        "Функциональная грамотность: формирование и оценивание",
        72,
        "distance",
        "teachers",
        "center",
        ("methodical",),
    ),
    (
        "Цифровая образовательная среда: инструменты учителя",
        36,
        "distance",
        "teachers",
        "center",
        ("digital",),
    ),
    (
        "Современные цифровые технологии в обучении",
        72,
        "blended",
        "teachers",
        "center",
        ("digital", "methodical"),
    ),
    (
        "Психолого-педагогическое сопровождение обучающихся с ОВЗ",
        72,
        "blended",
        "teachers",
        "center",
        ("psych_pedagogical",),
    ),
    (
        "Профилактика деструктивного поведения подростков",
        36,
        "full_time",
        "teachers",
        "center",
        ("psych_pedagogical", "communicative"),
    ),
    (
        "Эффективная коммуникация с родителями и обучающимися",
        24,
        "full_time",
        "teachers",
        "center",
        ("communicative",),
    ),
    (
        "Разговоры о важном: система работы классного руководителя",
        36,
        "distance",
        "teachers",
        "center",
        ("communicative", "psych_pedagogical"),
    ),
    (
        "Наставничество в образовательной организации",
        36,
        "blended",
        "teachers",
        "center",
        ("methodical", "communicative"),
    ),
    ("Подготовка экспертов ОГЭ и ЕГЭ", 48, "blended", "teachers", "center", ("subject",)),
    (
        "Курсы Академии Минпросвещения России для учителей",
        72,
        "distance",
        "teachers",
        "other",
        ("subject", "digital"),
    ),
    ("Управление качеством образования в школе", 72, "blended", "management", "center", ()),
    ("Школа директора: управленческие команды ШНОР", 108, "blended", "management", "center", ()),
    (
        "Управленческая команда: проектное управление развитием школы",
        48,
        "full_time",
        "management",
        "center",
        (),
    ),
]
FEDERAL_NUMBERS = {1: "ФР-2021-0134", 3: "ФР-2022-0277", 12: "ФР-2021-0012"}
STAFF_PROGRAM = "Повышение квалификации сотрудников ЦНППМ (Федеральный оператор, Академия Минпросвещения России)"


def _day(rng: random.Random, start: D, end: D) -> D:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _programs(ctx: DemoContext) -> list[Program]:
    areas = {a.code: a for a in CompetenceArea.objects.all()}
    existing = {p.title: p for p in Program.objects.filter(title__in=[p[0] for p in PROGRAMS])}
    result = []
    for index, (title, hours, fmt, audience, provider, codes) in enumerate(PROGRAMS):
        program = existing.get(title)
        if program is None:
            program = Program.objects.create(
                title=title,
                hours=hours,
                format=ProgramFormat(fmt),
                audience=ProgramAudience(audience),
                provider=ProgramProvider(provider),
                provider_name="ТОИПКРО (ЦНППМ)"
                if provider == "center"
                else "ФГАОУ ДПО «Академия Минпросвещения России»",
                in_federal_registry=index in FEDERAL_NUMBERS,
                federal_registry_number=FEDERAL_NUMBERS.get(index, ""),
                region=ctx.region,
            )
            program.areas.set([areas[c] for c in codes if c in areas])
        result.append(program)
    return result


def _cohorts(
    ctx: DemoContext, rng: random.Random, programs: list[Program]
) -> dict[tuple[int, int], list[Cohort]]:
    """Two or three cohorts a year per program, February to November."""
    specs = []
    for program in programs:
        for year in range(FIRST_YEAR, ctx.today.year + 1):
            for number in range(1, rng.choice([2, 3, 3]) + 1):
                start = D(year, rng.choice([2, 3, 4, 9, 10]) + (number - 1), rng.randint(1, 20))
                weeks = max(1, program.hours // 18)
                end = start + datetime.timedelta(days=7 * weeks)
                if end.year > year:
                    end = D(year, 12, 20)
                specs.append((program, f"{year}-{number}", start, end))
    existing = {(c.program_id, c.title) for c in Cohort.objects.filter(program__in=programs)}
    new = [
        Cohort(program=p, title=t, start_date=s, end_date=e)
        for p, t, s, e in specs
        if (p.pk, t) not in existing
    ]
    if new:
        create_with_history(Cohort, new)
    by_year: dict[tuple[int, int], list[Cohort]] = defaultdict(list)
    for cohort in Cohort.objects.filter(program__in=programs).order_by("start_date", "pk"):
        by_year[(cohort.program_id, cohort.start_date.year)].append(cohort)
    return by_year


def seed(ctx: DemoContext) -> None:
    rng = random.Random(ctx.rng.random())
    # Its own generator: on a rerun the routes draw nothing, and staff training must not shift.
    staff_rng = random.Random(rng.random())
    today = ctx.today
    programs = _programs(ctx)
    cohorts = _cohorts(ctx, rng, programs)
    areas = list(CompetenceArea.objects.all())
    teacher_programs = [p for p in programs if p.audience == ProgramAudience.TEACHERS]
    center_programs = [p for p in teacher_programs if p.provider == ProgramProvider.CENTER]
    management_programs = [p for p in programs if p.audience == ProgramAudience.MANAGEMENT]
    program_areas: dict[int, set[str]] = defaultdict(set)
    for program_id, code in Program.areas.through.objects.filter(program__in=programs).values_list(
        "program_id", "competencearea__code"
    ):
        program_areas[program_id].add(code)

    # Where each teacher works now: municipality, school and management role.
    place: dict[int, tuple[int, int, bool]] = {}
    for teacher_id, org_id, mun_id, management in (
        Employment.objects.filter(active_employment_q(on=today), kind="main")
        .order_by("teacher_id", "-start_date")
        .values_list(
            "teacher_id", "organization_id", "organization__municipality_id", "is_management"
        )
    ):
        place.setdefault(teacher_id, (mun_id, org_id, management))
    by_municipality: dict[int, list[int]] = defaultdict(list)
    management_by_school: dict[int, list[int]] = defaultdict(list)
    for teacher_id in sorted(place):
        mun_id, org_id, management = place[teacher_id]
        by_municipality[mun_id].append(teacher_id)
        if management:
            management_by_school[org_id].append(teacher_id)
    municipalities = sorted(by_municipality)
    route_base = {m: rng.uniform(0.03, 0.15) for m in municipalities}
    course_base = {m: rng.uniform(0.03, 0.15) for m in municipalities}
    management_base = {m: rng.uniform(0.05, 0.20) for m in municipalities}
    methodists = list(ctx.staff) or [None]

    certificate_serial: dict[int, int] = defaultdict(int)
    enrollment_specs: dict[tuple[int, int], dict[str, Any]] = {}
    diagnostic_specs: list[dict[str, Any]] = []
    route_specs: list[dict[str, Any]] = []

    def enroll(cohort: Cohort, teacher_id: int) -> tuple[int, int]:
        key = (cohort.pk, teacher_id)
        if key in enrollment_specs:
            return key
        spec: dict[str, Any] = {"cohort": cohort, "teacher_id": teacher_id}
        if cohort.end_date <= today:
            roll = rng.random()
            if roll < 0.94:
                certificate_serial[cohort.program_id] += 1
                spec.update(
                    status=EnrollmentStatus.COMPLETED,
                    completion_date=cohort.end_date,
                    certificate_number=f"70{cohort.program_id:03d}-{certificate_serial[cohort.program_id]:05d}",
                )
            else:
                spec["status"] = EnrollmentStatus.DROPPED
        enrollment_specs[key] = spec
        return key

    def scores_for(deficit_codes: set[str]) -> dict[str, Decimal]:
        return {
            area.code: Decimal(
                rng.randint(25, 58) if area.code in deficit_codes else rng.randint(61, 96)
            )
            for area in areas
        }

    for year in range(FIRST_YEAR, today.year + 1):
        year_end = min(D(year, 12, 31), today)
        year_start = D(year, 1, 15)
        if year_end <= year_start:
            continue
        elapsed = (year_end - D(year, 1, 1)).days / 365
        for mun in municipalities:
            teachers = by_municipality[mun]
            drift = (year - FIRST_YEAR) * 0.004 + rng.uniform(-0.025, 0.025)
            route_rate = max(0.02, route_base[mun] + drift) * elapsed
            chosen = rng.sample(teachers, k=min(len(teachers), round(route_rate * len(teachers))))
            for teacher_id in chosen:
                developed = _day(rng, year_start, year_end)
                diagnosed = developed - datetime.timedelta(days=rng.randint(3, 25))
                deficits = set(rng.sample([a.code for a in areas], k=rng.choice([1, 2, 2, 3])))
                diagnostic_specs.append(
                    {
                        "teacher_id": teacher_id,
                        "conducted_on": diagnosed,
                        "scores": scores_for(deficits),
                    }
                )
                planned_end = developed + datetime.timedelta(days=rng.randint(150, 330))
                if planned_end < today:
                    status = rng.choices(
                        [RouteStatus.COMPLETED, RouteStatus.IN_PROGRESS, RouteStatus.CANCELLED],
                        weights=[86, 10, 4],
                    )[0]
                elif (today - developed).days < 90:  # recent routes: some still drafts
                    status = rng.choice([RouteStatus.DRAFT, RouteStatus.APPROVED])
                else:
                    status = rng.choice([RouteStatus.APPROVED, RouteStatus.IN_PROGRESS])
                matching = [p for p in center_programs if program_areas[p.pk] & deficits]
                program = rng.choice(matching or center_programs)
                options = [
                    c
                    for c in cohorts.get((program.pk, year), [])
                    if developed <= c.start_date and c.end_date <= planned_end
                ]
                enrollment_key = enroll(options[0], teacher_id) if options else None
                route_specs.append(
                    {
                        "teacher_id": teacher_id,
                        "developed_on": developed,
                        "planned_end": planned_end,
                        "status": status,
                        "methodist": rng.choice(methodists),
                        "diagnosed": diagnosed,
                        "deficits": deficits,
                        "program": program,
                        "enrollment_key": enrollment_key,
                        "cohort": options[0] if options else None,
                        "second_kind": rng.choice(
                            [
                                StepKind.EVENT,
                                StepKind.SELF_STUDY,
                                StepKind.MENTORING,
                                StepKind.INTERNSHIP,
                            ]
                        ),
                        "rediagnose": status == RouteStatus.COMPLETED and rng.random() < 0.6,
                        "closes": {code for code in sorted(deficits) if rng.random() < 0.7},
                    }
                )
            # Other Center course completions (indicator 2), at a similar rate.
            course_rate = max(0.02, course_base[mun] + drift) * elapsed
            wanted = round(course_rate * len(teachers))
            already = (
                sum(1 for spec in route_specs[-len(chosen) :] if spec["enrollment_key"])
                if chosen
                else 0
            )
            chosen_set = set(chosen)
            pool = [t for t in teachers if t not in chosen_set]
            for teacher_id in rng.sample(pool, k=min(len(pool), max(0, wanted - already))):
                program = rng.choice(teacher_programs)
                year_cohorts = cohorts.get((program.pk, year), [])
                if year_cohorts:
                    enroll(rng.choice(year_cohorts), teacher_id)
        # Management-team courses (indicator 5): some schools of each municipality.
        for mun in municipalities:
            schools = sorted({place[t][1] for t in by_municipality[mun]})
            share = management_base[mun] + rng.uniform(-0.04, 0.04)
            for school in rng.sample(
                schools, k=min(len(schools), round(max(0.0, share) * len(schools)))
            ):
                managers = management_by_school.get(school, [])
                if not managers:
                    continue
                program = rng.choice(management_programs)
                year_cohorts = [
                    c for c in cohorts.get((program.pk, year), []) if c.end_date <= today
                ]
                if year_cohorts:
                    for teacher_id in rng.sample(
                        managers, k=min(len(managers), rng.choice([1, 1, 2]))
                    ):
                        enroll(rng.choice(year_cohorts), teacher_id)

    _save_enrollments(enrollment_specs)
    enrollment_ids = {
        (cohort_id, teacher_id): pk
        for pk, cohort_id, teacher_id in Enrollment.objects.filter(
            cohort__program__in=programs
        ).values_list("pk", "cohort_id", "teacher_id")
    }
    _save_diagnostics(diagnostic_specs, areas)
    _save_routes(ctx, rng, route_specs, areas, enrollment_ids)
    _seed_staff_training(ctx, staff_rng)
    ctx.extra["learning_programs"] = programs
    ctx.say(
        f"Программ: {len(programs)}, зачислений: {len(enrollment_specs)}, "
        f"маршрутов: {len(route_specs)}, диагностик: {len(diagnostic_specs)}"
    )


def _save_enrollments(specs: dict[tuple[int, int], dict[str, Any]]) -> None:
    existing = set(
        Enrollment.objects.filter(cohort_id__in={k[0] for k in specs}).values_list(
            "cohort_id", "teacher_id"
        )
    )
    new = [
        Enrollment(
            cohort=spec["cohort"],
            teacher_id=spec["teacher_id"],
            status=spec.get("status", EnrollmentStatus.ENROLLED),
            completion_date=spec.get("completion_date"),
            certificate_number=spec.get("certificate_number", ""),
        )
        for key, spec in specs.items()
        if key not in existing
    ]
    if new:
        create_with_history(Enrollment, new)


def _save_diagnostics(specs: list[dict[str, Any]], areas: list[CompetenceArea]) -> None:
    teacher_ids = {s["teacher_id"] for s in specs}
    existing = set(
        Diagnostic.objects.filter(teacher_id__in=teacher_ids, instrument=INSTRUMENT).values_list(
            "teacher_id", "conducted_on"
        )
    )
    fresh = [s for s in specs if (s["teacher_id"], s["conducted_on"]) not in existing]
    fresh_keys = {(s["teacher_id"], s["conducted_on"]) for s in fresh}
    if not fresh:
        return
    created = create_with_history(
        Diagnostic,
        [
            Diagnostic(
                teacher_id=s["teacher_id"], conducted_on=s["conducted_on"], instrument=INSTRUMENT
            )
            for s in fresh
        ],
    )
    ids = {(d.teacher_id, d.conducted_on): d.pk for d in created}
    by_code = {a.code: a for a in areas}
    # Scores are written once with their diagnostic, whose history records the creation; a later
    # edit of a score is still recorded in the score's own history.
    insert_rows(
        DiagnosticScore,
        ["diagnostic_id", "area_id", "score", "threshold"],
        (
            (
                ids[(s["teacher_id"], s["conducted_on"])],
                by_code[code].pk,
                value,
                by_code[code].threshold,
            )
            for s in fresh
            if (s["teacher_id"], s["conducted_on"]) in fresh_keys
            for code, value in s["scores"].items()
        ),
    )


def _save_routes(
    ctx: DemoContext,
    rng: random.Random,
    specs: list[dict[str, Any]],
    areas: list[CompetenceArea],
    enrollment_ids: dict[tuple[int, int], int],
) -> None:
    today = ctx.today
    teacher_ids = {s["teacher_id"] for s in specs}
    existing = set(
        Route.objects.filter(teacher_id__in=teacher_ids).values_list("teacher_id", "developed_on")
    )
    fresh = [s for s in specs if (s["teacher_id"], s["developed_on"]) not in existing]
    if not fresh:
        return
    diagnostics = {
        (t, d): pk
        for pk, t, d in Diagnostic.objects.filter(
            teacher_id__in=teacher_ids, instrument=INSTRUMENT
        ).values_list("pk", "teacher_id", "conducted_on")
    }
    created_routes = create_with_history(
        Route,
        [
            Route(
                teacher_id=s["teacher_id"],
                methodist=s["methodist"],
                developed_on=s["developed_on"],
                planned_end=s["planned_end"],
                status=s["status"],
                diagnostic_id=diagnostics.get((s["teacher_id"], s["diagnosed"])),
            )
            for s in fresh
        ],
    )
    routes = {(r.teacher_id, r.developed_on): r for r in created_routes}
    by_code = {a.code: a for a in areas}
    deficit_links = []
    steps: list[RouteStep] = []
    step_areas: list[tuple[int, int, set[str]]] = []  # route, order, codes
    transitions = []
    rediagnostics: list[dict[str, Any]] = []
    path = {
        RouteStatus.DRAFT: [RouteStatus.DRAFT],
        RouteStatus.APPROVED: [RouteStatus.DRAFT, RouteStatus.APPROVED],
        RouteStatus.IN_PROGRESS: [RouteStatus.DRAFT, RouteStatus.APPROVED, RouteStatus.IN_PROGRESS],
        RouteStatus.COMPLETED: [
            RouteStatus.DRAFT,
            RouteStatus.APPROVED,
            RouteStatus.IN_PROGRESS,
            RouteStatus.COMPLETED,
        ],
        RouteStatus.CANCELLED: [RouteStatus.DRAFT, RouteStatus.APPROVED, RouteStatus.CANCELLED],
    }
    for s in fresh:
        route = routes[(s["teacher_id"], s["developed_on"])]
        for code in sorted(s["deficits"]):
            deficit_links.append((route.pk, by_code[code].pk))
        done = s["status"] == RouteStatus.COMPLETED
        enrollment_id = enrollment_ids.get(s["enrollment_key"]) if s["enrollment_key"] else None
        cohort = s["cohort"]
        if cohort is not None:
            course_start, course_end = cohort.start_date, cohort.end_date
        else:
            course_start = route.developed_on + datetime.timedelta(days=14)
            course_end = min(route.planned_end, course_start + datetime.timedelta(days=40))
        steps.append(
            RouteStep(
                route=route,
                kind=StepKind.COURSE,
                title=s["program"].title,
                program=s["program"],
                enrollment_id=enrollment_id,
                planned_start=course_start,
                planned_end=course_end,
                status=StepStatus.DONE if done or course_end < today else StepStatus.PLANNED,
                actual_end=course_end if done else None,
            )
        )
        step_areas.append((route.pk, len(steps) - 1, s["deficits"]))
        second_start = route.developed_on + datetime.timedelta(days=rng.randint(20, 60))
        second_start = min(second_start, route.planned_end)
        not_started = s["status"] == RouteStatus.DRAFT or second_start > today
        steps.append(
            RouteStep(
                route=route,
                kind=s["second_kind"],
                title=str(StepKind(s["second_kind"]).label),
                planned_start=second_start,
                planned_end=route.planned_end,
                status=StepStatus.DONE
                if done
                else StepStatus.PLANNED
                if not_started
                else StepStatus.IN_PROGRESS,
                actual_start=second_start if second_start <= today and not not_started else None,
                actual_end=route.planned_end if done else None,
                evidence_link="https://toipkro.ru/portfolio/" + str(route.pk) if done else "",
            )
        )
        step_areas.append((route.pk, len(steps) - 1, s["deficits"]))
        day = route.developed_on
        for index, status in enumerate(path[s["status"]]):
            if status == RouteStatus.COMPLETED:
                day = route.planned_end
            elif index:
                day = min(today, day + datetime.timedelta(days=rng.randint(1, 20)))
            transitions.append(
                (
                    route.pk,
                    path[s["status"]][index - 1] if index else "",
                    status,
                    datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.UTC),
                    day,
                    "",
                )
            )
        if s["rediagnose"]:
            when = route.planned_end + datetime.timedelta(days=rng.randint(10, 60))
            if when <= today:
                scores = {
                    a.code: Decimal(
                        rng.randint(62, 90) if a.code in s["closes"] else rng.randint(40, 58)
                    )
                    if a.code in s["deficits"]
                    else Decimal(rng.randint(61, 96))
                    for a in areas
                }
                rediagnostics.append(
                    {"teacher_id": s["teacher_id"], "conducted_on": when, "scores": scores}
                )
    insert_rows(Route.deficits.through, ["route_id", "competencearea_id"], deficit_links)
    created = create_with_history(RouteStep, steps, batch_size=5000)
    insert_rows(
        RouteStep.areas.through,
        ["routestep_id", "competencearea_id"],
        (
            (step.pk, by_code[code].pk)
            for step, (_r, _i, codes) in zip(created, step_areas, strict=True)
            for code in sorted(codes)
        ),
    )
    insert_rows(
        RouteTransition,
        ["route_id", "from_status", "to_status", "changed_at", "changed_on", "comment"],
        transitions,
    )
    _save_diagnostics(rediagnostics, areas)


def _seed_staff_training(ctx: DemoContext, rng: random.Random) -> None:
    specs = []
    for staff in ctx.staff:
        hired = staff.start_date
        if hired.year < FIRST_YEAR:
            year = rng.choices([2021, 2022, 2023, None], weights=[55, 30, 12, 3])[0]
        else:
            year = rng.choice([hired.year, hired.year + 1]) if rng.random() < 0.95 else None
        if year is None or year > ctx.today.year:
            continue
        start = D(year, rng.choice([3, 4, 5, 9, 10]), rng.randint(1, 25))
        if start < hired:
            start = hired + datetime.timedelta(days=30)
        end = start + datetime.timedelta(days=rng.randint(14, 45))
        if start > ctx.today:
            continue
        specs.append((staff, start, end))
    existing = set(
        StaffTraining.objects.filter(staff__in=ctx.staff, program_title=STAFF_PROGRAM).values_list(
            "staff_id", "start_date"
        )
    )
    new = [
        StaffTraining(
            staff=staff,
            program_title=STAFF_PROGRAM,
            start_date=start,
            end_date=end,
            completed_on=end if end <= ctx.today else None,
            certificate_number=f"ФО-{start.year}-{staff.pk:04d}" if end <= ctx.today else "",
        )
        for staff, start, end in specs
        if (staff.pk, start) not in existing
    ]
    if new:
        create_with_history(StaffTraining, new)
