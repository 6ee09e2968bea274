"""A country-sized data set written straight into the database (COPY on PostgreSQL).

At `scale=1.0`: 85 regions, ~2,300 municipalities, 40,000 organizations, 1,060,000 teachers with
their employments, 3,000,000 enrollments, 300,000 routes, 200,000 mentor pairs, events with
participants, Center staff with their training, management-team mentoring, target models and a
closed roadmap campaign with every report. Each region has about the size of the demo region, so a
smaller scale means fewer regions, not thinner ones.

Rows are built as tuples from a seeded `random.Random` (the same seed gives the same data) and
written with `COPY ... FROM STDIN` on PostgreSQL or `executemany` on SQLite. Primary keys are
assigned here (continuing after the largest existing one) so that foreign keys need no look-up;
PostgreSQL sequences are reset at the end. Model invariants kept: valid SNILS checksums and unique
SNILS, organizations in their municipality's region, dates in the order the check constraints
require, one enrollment per cohort and teacher, a pair's mentor and mentee employed at the pair's
school, one target model per school, reports and items as `campaign_open` creates them. History
tables (django-simple-history) are left empty for generated rows.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model

from profdev.accounts.models import User
from profdev.common.identifiers import make_snils
from profdev.events.models import Event, EventParticipation
from profdev.learning.models import Cohort, Enrollment, Program, Route, StaffTraining
from profdev.mentorship.models import ManagementMentoring, MentoringForm, MentorPair, TargetModel
from profdev.orgs.demo_data import FATHER_NAMES, FEMALE_FIRST, MALE_FIRST, MALE_LAST
from profdev.orgs.demo_data import female_last_name as _female
from profdev.orgs.models import Municipality, Organization, Region
from profdev.people.models import CenterStaff, Employment, Teacher
from profdev.roadmap.models import Activity, Campaign, Report, ReportItem
from profdev.roadmap.models import Program as RoadmapProgram

AT_SCALE_1 = {
    "regions": 85,
    "municipalities": 2_300,
    "organizations": 40_000,
    "teachers": 1_060_000,
    "enrollments": 3_000_000,
    "routes": 300_000,
    "pairs": 200_000,
}
REGION_CODE_PREFIX = "G"  # generated regions: codes G01..G85 (real codes are digits)
SNILS_SERIAL_BASE = 300_000_000  # generated SNILS serials; all pass the checksum
STAFF_PER_REGION = 40
PROGRAMS_PER_REGION = 20  # 0-3 for management teams, 17-19 by other providers
EVENTS_PER_REGION_YEAR = 60
TEACHERS_PER_EVENT = 20
MANAGEMENT_LINKS_PER_REGION = 50
YEARS_BACK = 4  # activity from 1 January, four years before `today`
PASSWORD = "country-2026"  # every generated user's password (bench users)


@dataclass
class Sizes:
    regions: int
    municipalities: int
    organizations: int
    teachers: int
    enrollments: int
    routes: int
    pairs: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        values = {k: max(1, int(v * scale + 0.5)) for k, v in AT_SCALE_1.items()}
        values["municipalities"] = max(values["municipalities"], values["regions"])
        values["organizations"] = max(values["organizations"], 2 * values["municipalities"])
        values["teachers"] = max(values["teachers"], 8 * values["organizations"])
        return cls(**values)


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _split(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Integer shares of `total` proportional to `weights` (each at least `minimum`)."""
    spare = total - minimum * len(weights)
    whole = sum(weights)
    raw = [spare * w / whole for w in weights]
    counts = [int(x) for x in raw]
    rest = spare - sum(counts)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[:rest]:
        counts[i] += 1
    return [c + minimum for c in counts]


class Writer:
    """Bulk rows into one table: COPY on PostgreSQL, executemany on other databases."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def next_id(self, model: type[Model]) -> int:
        return int(model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        written = 0
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor
                with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        written += 1
                return written
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"
            batch: list[Sequence[Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
        return written


class CountryGenerator:
    """Builds the whole data set in one transaction; `run()` returns row counts and timings."""

    def __init__(
        self,
        *,
        scale: float,
        seed: int = 2026,
        today: datetime.date | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.scale = scale
        self.sizes = Sizes.for_scale(scale)
        self.rng = random.Random(seed)
        self.today = today or datetime.date.today()
        self.first_year = self.today.year - YEARS_BACK
        self.log = log or (lambda line: None)
        self.writer = Writer()
        self.result = Result()
        self.now = datetime.datetime.combine(self.today, datetime.time(9, 0), tzinfo=datetime.UTC)

    # ------------------------------------------------------------------ helpers

    def _date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        span = (end - start).days
        return start + datetime.timedelta(days=self.rng.randint(0, max(0, span)))

    def _write(
        self, model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        started = time.perf_counter()
        count = self.writer.write(model._meta.db_table, columns, rows)
        label = model._meta.label
        self.result.counts[label] = self.result.counts.get(label, 0) + count
        seconds = time.perf_counter() - started
        self.result.seconds[label] = self.result.seconds.get(label, 0.0) + seconds
        self.log(f"{label}: {count} строк, {seconds:.1f} с")
        return count

    def _m2m(self, model: type[Model], name: str, rows: Iterable[Sequence[Any]]) -> int:
        through = model._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
        fields = [f.column for f in through._meta.concrete_fields if not f.primary_key]
        return self._write(through, fields, rows)

    def _name(self) -> tuple[str, str, str]:
        rng = self.rng
        last = rng.choice(MALE_LAST)
        father = rng.choice(FATHER_NAMES)
        if rng.random() < 0.82:
            return _female(last), rng.choice(FEMALE_FIRST), father[1]
        return last, rng.choice(MALE_FIRST), father[0]

    # ------------------------------------------------------------------ run

    @staticmethod
    def already_generated() -> bool:
        return Region.objects.filter(code__startswith=REGION_CODE_PREFIX).exists()

    def check_empty(self) -> None:
        if self.already_generated():
            raise ValueError(
                "Сгенерированные регионы уже есть в базе: используйте чистую базу данных."
            )

    def run(self) -> Result:
        self.check_empty()
        with transaction.atomic():
            self._tree()
            self._people()
            self._staff()
            self._learning()
            self._routes()
            self._mentorship()
            self._events()
            self._roadmap()
            self._users()
            if self.writer.postgres:
                models: list[Any] = [
                    Region, Municipality, Organization, Teacher, Employment, CenterStaff,
                    StaffTraining, Program, Cohort, Enrollment, Route, MentorPair, TargetModel,
                    ManagementMentoring, Event, EventParticipation, RoadmapProgram, Activity,
                    Campaign, Report, ReportItem, User,
                ]  # fmt: skip
                through: list[Any] = [MentorPair._meta.get_field("mentees").remote_field.through]
                with connection.cursor() as cursor:
                    for statement in connection.ops.sequence_reset_sql(
                        no_style(), models + through
                    ):
                        cursor.execute(statement)
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map, without which the indicators' index-only scans
            # read the table anyway (measured: decision 0005); it cannot run in a transaction.
            vacuum = self.writer.postgres and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        return self.result

    # ------------------------------------------------------------------ organization tree

    def _tree(self) -> None:
        rng, sizes = self.rng, self.sizes
        region_id = self.writer.next_id(Region)
        self.regions = list(range(region_id, region_id + sizes.regions))
        self._write(
            Region,
            ["id", "name", "code"],
            (
                (rid, f"Сгенерированный регион {n:02d}", f"{REGION_CODE_PREFIX}{n:02d}")
                for n, rid in enumerate(self.regions, start=1)
            ),
        )
        muni_counts = _split(sizes.municipalities, [1.0] * sizes.regions, minimum=1)
        municipality_id = self.writer.next_id(Municipality)
        self.muni_region: list[int] = []
        self.municipalities: list[int] = []
        muni_rows = []
        kinds = ["city_district", "municipal_district", "municipal_okrug"]
        for rid, count in zip(self.regions, muni_counts, strict=True):
            for n in range(count):
                kind = kinds[0] if n < 2 else rng.choice(kinds[1:])
                muni_rows.append((municipality_id, rid, f"Муниципалитет {n + 1:03d}", kind, ""))
                self.municipalities.append(municipality_id)
                self.muni_region.append(rid)
                municipality_id += 1
        self._write(Municipality, ["id", "region_id", "name", "kind", "oktmo"], muni_rows)
        # Organizations: cities get more; the first of each region is its Center (ЦНППМ).
        weights = [
            rng.uniform(0.4, 1.6) * (2.5 if i % 27 < 2 else 1.0) for i in range(len(muni_rows))
        ]
        org_counts = _split(sizes.organizations, weights, minimum=2)
        organization_id = self.writer.next_id(Organization)
        self.org_municipality: list[int] = []
        self.org_region: list[int] = []
        self.org_is_school: list[bool] = []
        self.centers: dict[int, int] = {}
        self.organizations: list[int] = []
        rows = []
        for (mid, rid), count in zip(
            zip(self.municipalities, self.muni_region, strict=True), org_counts, strict=True
        ):
            for n in range(count):
                is_center = rid not in self.centers and n == 0
                school = not is_center and rng.random() < 0.95
                active = is_center or rng.random() < 0.985
                if is_center:
                    self.centers[rid] = organization_id
                    name = "ЦНППМ (сгенерированный)"
                elif school:
                    name = f"МБОУ СОШ № {n + 1}"
                else:
                    name = f"Организация № {n + 1}"
                rows.append(
                    (
                        organization_id, rid, mid, name, "",
                        "school" if school else "other",
                        "region" if is_center else "municipality",
                        "", "", "", school and rng.random() < 0.1, is_center, active,
                    )
                )  # fmt: skip
                self.organizations.append(organization_id)
                self.org_municipality.append(mid)
                self.org_region.append(rid)
                self.org_is_school.append(school and active)
                organization_id += 1
        self._write(
            Organization,
            [
                "id", "region_id", "municipality_id", "name", "short_name", "kind", "founder",
                "inn", "ogrn", "address", "low_results", "is_center", "is_active",
            ],
            rows,
        )  # fmt: skip

    # ------------------------------------------------------------------ teachers

    def _people(self) -> None:
        rng, today = self.rng, self.today
        weights = [rng.uniform(0.5, 1.5) if s else 0.25 for s in self.org_is_school]
        per_org = _split(self.sizes.teachers, weights, minimum=3)
        teacher_id = self.writer.next_id(Teacher)
        employment_id = self.writer.next_id(Employment)
        self.teacher_region: list[int] = []
        self.teacher_ids_start = teacher_id
        self.org_teachers: list[tuple[int, int]] = []  # [first teacher id, last + 1) per org
        self.management: list[int] = []  # teacher ids holding a management position
        teachers: list[tuple[Any, ...]] = []
        employments: list[tuple[Any, ...]] = []
        categories = ["none", "conformity", "first", "highest"]
        positions = ["teacher"] * 14 + ["psychologist", "social_pedagogue", "additional_education"]
        serial = SNILS_SERIAL_BASE
        org_index_by_municipality: dict[int, list[int]] = {}
        for index, mid in enumerate(self.org_municipality):
            org_index_by_municipality.setdefault(mid, []).append(index)
        for index, (oid, size) in enumerate(zip(self.organizations, per_org, strict=True)):
            first = teacher_id
            region = self.org_region[index]
            for n in range(size):
                serial += rng.randint(1, 5)
                last, first_name, middle = self._name()
                years = rng.uniform(0.2, 2.9) if rng.random() < 0.13 else rng.uniform(3.1, 38)
                career = today - datetime.timedelta(days=int(years * 365.25))
                teachers.append(
                    (teacher_id, last, first_name, middle, make_snils(serial),
                     rng.choice(categories), career, "")
                )  # fmt: skip
                if n == 0:
                    position, management = "director", True
                elif n <= (2 if size > 30 else 1):
                    position, management = "deputy_director", True
                else:
                    position, management = rng.choice(positions), False
                if management:
                    self.management.append(teacher_id)
                start = max(career, today - datetime.timedelta(days=rng.randint(200, 9000)))
                end = None
                if not management and rng.random() < 0.03:  # left the school
                    end = self._date(start, today - datetime.timedelta(days=1))
                employments.append(
                    (employment_id, teacher_id, oid, position, management, "main", start, end)
                )
                employment_id += 1
                if rng.random() < 0.08:  # a second, part-time job in the same municipality
                    others = org_index_by_municipality[self.org_municipality[index]]
                    other = others[rng.randrange(len(others))]
                    if other != index:
                        employments.append(
                            (employment_id, teacher_id, self.organizations[other], "teacher",
                             False, "part_time", self._date(start, today), None)
                        )  # fmt: skip
                        employment_id += 1
                self.teacher_region.append(region)
                teacher_id += 1
            self.org_teachers.append((first, teacher_id))
        self._write(
            Teacher,
            ["id", "last_name", "first_name", "middle_name", "snils",
             "qualification_category", "career_start", "email"],
            teachers,
        )  # fmt: skip
        del teachers
        self._write(
            Employment,
            ["id", "teacher_id", "organization_id", "position", "is_management", "kind",
             "start_date", "end_date"],
            employments,
        )  # fmt: skip
        # Teachers of each region: a contiguous id range, because organizations go region by region.
        self.region_teachers: dict[int, tuple[int, int]] = {}
        for index, (first, stop) in enumerate(self.org_teachers):
            rid = self.org_region[index]
            low, high = self.region_teachers.get(rid, (first, stop))
            self.region_teachers[rid] = (min(low, first), max(high, stop))

    def _staff(self) -> None:
        rng, today = self.rng, self.today
        staff_id = self.writer.next_id(CenterStaff)
        self.region_staff: dict[int, list[int]] = {}
        rows, trainings = [], []
        positions = ["head"] + ["methodist"] * 5 + ["tutor", "expert", "other"]
        for rid in self.regions:
            for n in range(STAFF_PER_REGION):
                last, first, middle = self._name()
                start = self._date(datetime.date(2012, 1, 1), today)
                end = self._date(start, today) if rng.random() < 0.08 else None
                position = "head" if n == 0 else rng.choice(positions[1:])
                rows.append(
                    (staff_id, last, first, middle, self.centers[rid], position, start, end, "")
                )
                self.region_staff.setdefault(rid, []).append(staff_id)
                if rng.random() < 0.8:
                    t_start = self._date(max(start, datetime.date(self.first_year, 1, 1)), today)
                    t_end = t_start + datetime.timedelta(days=rng.randint(5, 60))
                    done = t_end if t_end < today and rng.random() < 0.85 else None
                    trainings.append(
                        (staff_id, "Программа Федерального оператора", t_start, t_end, done, "")
                    )
                staff_id += 1
        self._write(
            CenterStaff,
            ["id", "last_name", "first_name", "middle_name", "organization_id", "position",
             "start_date", "end_date", "email"],
            rows,
        )  # fmt: skip
        self._write(
            StaffTraining,
            ["staff_id", "program_title", "start_date", "end_date", "completed_on",
             "certificate_number"],
            trainings,
        )  # fmt: skip

    # ------------------------------------------------------------------ learning

    def _learning(self) -> None:
        rng, today = self.rng, self.today
        program_id = self.writer.next_id(Program)
        cohort_id = self.writer.next_id(Cohort)
        programs, cohorts = [], []
        # region → (teacher cohorts, management cohorts); a cohort is (id, end_date)
        self.region_cohorts: dict[int, tuple[list[tuple[int, datetime.date]], ...]] = {}
        for rid in self.regions:
            teacher_cohorts: list[tuple[int, datetime.date]] = []
            management_cohorts: list[tuple[int, datetime.date]] = []
            for n in range(PROGRAMS_PER_REGION):
                management = n < 4
                other = n >= PROGRAMS_PER_REGION - 3
                programs.append(
                    (program_id, f"Программа повышения квалификации № {n + 1}",
                     rng.choice([16, 36, 72]), rng.choice(["full_time", "distance", "blended"]),
                     "management" if management else "teachers", rng.random() < 0.3, "",
                     "other" if other else "center", "Другой провайдер" if other else "", "", rid)
                )  # fmt: skip
                for year in range(self.first_year, today.year + 1):
                    for month in (2, 9):
                        start = datetime.date(year, month, rng.randint(1, 20))
                        end = start + datetime.timedelta(days=rng.randint(20, 80))
                        cohorts.append(
                            (cohort_id, program_id, f"Группа {month}/{year}", start, end)
                        )
                        (management_cohorts if management else teacher_cohorts).append(
                            (cohort_id, end)
                        )
                        cohort_id += 1
                program_id += 1
            self.region_cohorts[rid] = (teacher_cohorts, management_cohorts)
        self._write(
            Program,
            ["id", "title", "hours", "format", "audience", "in_federal_registry",
             "federal_registry_number", "provider", "provider_name", "description", "region_id"],
            programs,
        )  # fmt: skip
        self._write(Cohort, ["id", "program_id", "title", "start_date", "end_date"], cohorts)
        self._write(
            Enrollment,
            ["cohort_id", "teacher_id", "status", "completion_date", "certificate_number"],
            self._enrollments(),
        )

    def _enrollments(self) -> Iterator[tuple[Any, ...]]:
        rng, today = self.rng, self.today
        total_teachers = len(self.teacher_region)
        per_teacher = self.sizes.enrollments / total_teachers
        whole, fraction = int(per_teacher), per_teacher - int(per_teacher)
        management = set(self.management)
        for offset, rid in enumerate(self.teacher_region):
            teacher_id = self.teacher_ids_start + offset
            count = whole + (rng.random() < fraction)
            if not count:
                continue
            teacher_cohorts, management_cohorts = self.region_cohorts[rid]
            chosen = rng.sample(teacher_cohorts, min(count, len(teacher_cohorts)))
            if teacher_id in management and rng.random() < 0.6:
                chosen[0] = management_cohorts[rng.randrange(len(management_cohorts))]
            for cohort, end in chosen:
                if end >= today:
                    yield (cohort, teacher_id, "enrolled", None, "")
                elif rng.random() < 0.9:
                    yield (cohort, teacher_id, "completed", end, "")
                else:
                    yield (cohort, teacher_id, "dropped", None, "")

    def _routes(self) -> None:
        rng, today = self.rng, self.today
        total = len(self.teacher_region)
        chosen = sorted(rng.sample(range(total), min(self.sizes.routes, total)))
        start = datetime.date(self.first_year, 1, 1)

        def rows() -> Iterator[tuple[Any, ...]]:
            for offset in chosen:
                developed = self._date(start, today)
                planned_end = developed + datetime.timedelta(days=rng.randint(150, 365))
                if planned_end < today:
                    status = rng.choices(["completed", "cancelled", "in_progress"], [70, 10, 20])[0]
                else:
                    status = rng.choices(["draft", "approved", "in_progress"], [15, 35, 50])[0]
                staff = self.region_staff[self.teacher_region[offset]]
                yield (self.teacher_ids_start + offset, staff[rng.randrange(len(staff))],
                       developed, planned_end, status, None, "")  # fmt: skip

        self._write(
            Route,
            ["teacher_id", "methodist_id", "developed_on", "planned_end", "status",
             "diagnostic_id", "notes"],
            rows(),
        )  # fmt: skip

    # ------------------------------------------------------------------ mentorship

    def _mentorship(self) -> None:
        rng, today = self.rng, self.today
        forms = list(MentoringForm.objects.order_by("pk").values_list("pk", flat=True))
        if not forms:
            forms = [
                MentoringForm.objects.create(code="teacher-teacher", name="Педагог — педагог").pk
            ]
        schools = [i for i, school in enumerate(self.org_is_school) if school]
        weights = [self.org_teachers[i][1] - self.org_teachers[i][0] for i in schools]
        start = datetime.date(self.first_year, 1, 1)
        pair_id = self.writer.next_id(MentorPair)
        pairs, mentees = [], []
        for index in rng.choices(schools, weights, k=self.sizes.pairs):
            first, stop = self.org_teachers[index]
            mentor = rng.randrange(first, stop)
            mentee = rng.randrange(first, stop - 1)
            mentee = mentee + 1 if mentee >= mentor else mentee
            begin = self._date(start, today)
            planned = begin + datetime.timedelta(days=rng.randint(180, 365))
            if planned < today:
                if rng.random() < 0.85:
                    status, end = "completed", planned
                else:
                    status, end = "interrupted", self._date(begin, planned)
            else:
                status, end = "active", None
            pairs.append(
                (pair_id, self.organizations[index], mentor, forms[rng.randrange(len(forms))],
                 begin, planned, end, "", status, "", "")
            )  # fmt: skip
            mentees.append((pair_id, mentee))
            pair_id += 1
        self._write(
            MentorPair,
            ["id", "organization_id", "mentor_id", "form_id", "start_date", "planned_end",
             "end_date", "goals", "status", "outcome", "mentee_self_assessment"],
            pairs,
        )  # fmt: skip
        self._m2m(MentorPair, "mentees", mentees)
        models = []
        for index in schools:
            if rng.random() >= 0.75:
                continue
            first, stop = self.org_teachers[index]
            act = self._date(start, today)
            has_program = rng.random() < 0.6
            models.append(
                (self.organizations[index], f"{rng.randint(1, 300)}-ОД", act, "",
                 first if rng.random() < 0.85 else None,
                 "Программа наставничества" if has_program else "",
                 act if has_program else None,
                 act + datetime.timedelta(days=730) if has_program else None, "")
            )  # fmt: skip
        self._write(
            TargetModel,
            ["organization_id", "local_act_number", "local_act_date", "local_act_file",
             "curator_id", "program_title", "program_start", "program_end", "program_file"],
            models,
        )  # fmt: skip
        by_region: dict[int, list[int]] = {}
        for index in schools:
            by_region.setdefault(self.org_region[index], []).append(self.organizations[index])
        links = []
        for rid in self.regions:
            candidates = by_region.get(rid, [])
            if len(candidates) < 2:
                continue
            for _ in range(MANAGEMENT_LINKS_PER_REGION):
                mentor_org, mentee_org = rng.sample(candidates, 2)
                begin = self._date(start, today)
                end = begin + datetime.timedelta(days=365) if rng.random() < 0.5 else None
                status = "completed" if end is not None and end < today else "active"
                links.append((mentor_org, mentee_org, begin, end, status, ""))
        self._write(
            ManagementMentoring,
            ["mentor_organization_id", "mentee_organization_id", "start_date", "end_date",
             "status", "goals"],
            links,
        )  # fmt: skip

    # ------------------------------------------------------------------ events

    def _events(self) -> None:
        rng, today = self.rng, self.today
        event_id = self.writer.next_id(Event)
        events: list[tuple[Any, ...]] = []
        participations: list[tuple[Any, ...]] = []
        muni_by_region: dict[int, list[int]] = {}
        for mid, rid in zip(self.municipalities, self.muni_region, strict=True):
            muni_by_region.setdefault(rid, []).append(mid)
        orgs_by_region: dict[int, list[int]] = {}
        for oid, rid in zip(self.organizations, self.org_region, strict=True):
            orgs_by_region.setdefault(rid, []).append(oid)
        kinds = ["conference", "seminar", "webinar", "contest", "forum", "other"]
        for rid in self.regions:
            low, high = self.region_teachers[rid]
            for year in range(self.first_year, today.year + 1):
                for n in range(EVENTS_PER_REGION_YEAR):
                    begin = self._date(datetime.date(year, 1, 10), datetime.date(year, 12, 20))
                    level = rng.choices(["regional", "municipal", "federal"], [60, 30, 10])[0]
                    municipality = rng.choice(muni_by_region[rid]) if level == "municipal" else None
                    events.append(
                        (event_id, f"Мероприятие {n + 1}/{year}", rng.choice(kinds), level, begin,
                         begin + datetime.timedelta(days=rng.randint(0, 2)),
                         rng.choice(["in_person", "remote", "mixed"]), "ЦНППМ",
                         self.centers[rid], "", rid, municipality, None)
                    )  # fmt: skip
                    if begin <= today:
                        count = min(TEACHERS_PER_EVENT, high - low)
                        for teacher in rng.sample(range(low, high), count):
                            participations.append((event_id, teacher, None, "participant"))
                        for org in rng.sample(
                            orgs_by_region[rid], min(2, len(orgs_by_region[rid]))
                        ):
                            participations.append((event_id, None, org, "participant"))
                    event_id += 1
        self._write(
            Event,
            ["id", "title", "kind", "level", "start_date", "end_date", "format", "organizer",
             "organizer_organization_id", "description", "region_id", "municipality_id",
             "participant_count"],
            events,
        )  # fmt: skip
        self._write(
            EventParticipation,
            ["event_id", "teacher_id", "organization_id", "role"],
            participations,
        )

    # ------------------------------------------------------------------ roadmap

    def _roadmap(self) -> None:
        rng = self.rng
        year = self.today.year - 1
        program_id = self.writer.next_id(RoadmapProgram)
        activity_id = self.writer.next_id(Activity)
        campaign_id = self.writer.next_id(Campaign)
        report_id = self.writer.next_id(Report)
        programs, activities, campaigns, reports, items = [], [], [], [], []
        # (number, organization level, municipal level, regional level, indicator)
        plan = [
            ("1.1", True, False, False, "6"), ("1.2", True, False, False, "1"),
            ("1.3", True, True, False, ""), ("2.1", True, False, False, "2"),
            ("2.2", False, True, False, "5"), ("2.3", False, True, True, ""),
            ("3.1", False, False, True, "3"), ("3.2", False, False, True, "4"),
        ]  # fmt: skip
        munis_by_region: dict[int, list[int]] = {}
        for mid, rid in zip(self.municipalities, self.muni_region, strict=True):
            munis_by_region.setdefault(rid, []).append(mid)
        schools_by_region: dict[int, list[int]] = {}
        for index, school in enumerate(self.org_is_school):
            if school:
                schools_by_region.setdefault(self.org_region[index], []).append(index)
        for rid in self.regions:
            programs.append(
                (program_id, rid, "Региональная программа развития кадрового потенциала",
                 year - 1, year + 2, "", None, "")
            )  # fmt: skip
            own: list[tuple[int, bool, bool, bool]] = []
            for number, org_level, muni_level, region_level, code in plan:
                activities.append(
                    (activity_id, program_id, number, "Раздел", f"Мероприятие {number}",
                     region_level, muni_level, org_level, "", None, "", "", "", code, True,
                     ".".join(p.zfill(4) for p in number.split(".")))
                )  # fmt: skip
                own.append((activity_id, org_level, muni_level, region_level))
                activity_id += 1
            campaigns.append(
                (campaign_id, program_id, f"Мониторинг за {year} год", year, None,
                 datetime.date(year, 1, 1), datetime.date(year, 12, 31),
                 datetime.date(year + 1, 1, 31), "closed", self.now)
            )  # fmt: skip
            participants: list[tuple[str, int | None, int | None, int]] = [
                ("organization", self.organizations[i], self.org_municipality[i], 0)
                for i in schools_by_region.get(rid, [])
            ]
            participants += [("municipality", None, m, 1) for m in munis_by_region[rid]]
            participants.append(("region", None, None, 2))
            for kind, organization, municipality, level in participants:
                status = rng.choices(["accepted", "submitted", "draft"], [70, 20, 10])[0]
                submitted = self.now if status != "draft" else None
                reviewed = self.now if status == "accepted" else None
                reports.append(
                    (report_id, campaign_id, kind, organization, municipality, status,
                     submitted, reviewed, "")
                )  # fmt: skip
                for activity, *levels in own:
                    if levels[level]:
                        done = status != "draft"
                        items.append(
                            (report_id, activity, rng.choice(["done", "partly"]) if done else "",
                             "", "{}", "", "", self.now)
                        )  # fmt: skip
                report_id += 1
            program_id += 1
            campaign_id += 1
        self._write(
            RoadmapProgram,
            ["id", "region_id", "title", "start_year", "end_year", "order_number", "order_date",
             "goals"],
            programs,
        )  # fmt: skip
        self._write(
            Activity,
            ["id", "program_id", "number", "section", "title", "level_regional",
             "level_municipal", "level_organization", "responsible", "deadline", "period",
             "expected_result", "evidence_form", "indicator_code", "required", "sort_key"],
            activities,
        )  # fmt: skip
        self._write(
            Campaign,
            ["id", "program_id", "title", "year", "half", "period_start", "period_end",
             "deadline", "status", "created_at"],
            campaigns,
        )  # fmt: skip
        self._write(
            Report,
            ["id", "campaign_id", "kind", "organization_id", "municipality_id", "status",
             "submitted_at", "reviewed_at", "review_comment"],
            reports,
        )  # fmt: skip
        self._write(
            ReportItem,
            ["report_id", "activity_id", "status", "description", "figures", "evidence_link",
             "evidence_file", "updated_at"],
            items,
        )  # fmt: skip

    # ------------------------------------------------------------------ users for benches

    def _users(self) -> None:
        """Per region an official and an operator, per municipality a coordinator (bench logins)."""
        password = make_password(PASSWORD)
        user_id = self.writer.next_id(User)
        rows: list[tuple[Any, ...]] = []
        columns = ["id", "password", "is_superuser", "username", "first_name", "last_name",
                   "email", "is_staff", "is_active", "date_joined", "role", "region_id",
                   "municipality_id", "language"]  # fmt: skip
        for n, rid in enumerate(self.regions, start=1):
            for role in ("official", "operator"):
                rows.append(
                    (user_id, password, False, f"g{n:02d}-{role}", "", "", "", False, True,
                     self.now, role, rid, None, "ru")
                )  # fmt: skip
                user_id += 1
        for mid, rid in zip(self.municipalities, self.muni_region, strict=True):
            n = self.regions.index(rid) + 1
            rows.append(
                (user_id, password, False, f"g{n:02d}-municipal-{mid}", "", "", "", False, True,
                 self.now, "municipal", None, mid, "ru")
            )  # fmt: skip
            user_id += 1
        self._write(User, columns, rows)
