"""A "foreign" world for isolation tests: records of every model in places a user may not see.

`populate_place` builds, at one school of one municipality, a record of every scoped model
(teachers, employments, staff, learning, events, mentorship, roadmap, imports). Every identifying
text of a foreign record carries a unique marker (`Чуж` + three letters), so a test can assert
that no marker of an out-of-scope record appears on a page, an export or an API answer.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils import timezone

from profdev.accounts.choices import Role
from profdev.common.tests.factories import (
    CenterStaffFactory,
    MunicipalityFactory,
    OrganizationFactory,
    UserFactory,
    teacher_at,
)

MARKER_PREFIX = "Чуж"
_LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"
_serial = itertools.count()


def marker() -> str:
    """A fresh marker: `Чуж` and three Cyrillic letters (no marker is a prefix of another)."""
    n = next(_serial)
    size = len(_LETTERS)
    return (
        MARKER_PREFIX
        + _LETTERS[n // size // size % size]
        + _LETTERS[n // size % size]
        + _LETTERS[n % size]
    )


@dataclass
class Place:
    """The records built at one place; `objects` holds one record (or more) of every model."""

    region: Any
    municipality: Any
    organization: Any
    teacher: Any
    objects: list[Model] = field(default_factory=list)

    def add(self, *objs: Model) -> None:
        self.objects.extend(objs)


def populate_place(region: Any, *, center: Any | None = None) -> Place:
    """A new municipality with a school in `region`, and records of every model hanging on it."""
    from profdev.events.models import Event, EventParticipation
    from profdev.imports.models import ImportJob
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
    from profdev.mentorship.models import (
        CheckIn,
        ManagementMentoring,
        MentoringForm,
        MentorPair,
        TargetModel,
    )
    from profdev.roadmap.models import (
        Activity,
        Campaign,
        Reminder,
        Report,
        ReportItem,
        ReportTransition,
        ValidationRule,
        Waiver,
    )
    from profdev.roadmap.models import Program as RoadmapProgram

    municipality: Any = MunicipalityFactory(region=region, name=f"{marker()} район")
    school: Any = OrganizationFactory(
        municipality=municipality, name=f"МБОУ «{marker()} СОШ»", short_name=marker()
    )
    school2: Any = OrganizationFactory(municipality=municipality, name=f"МБОУ «{marker()} ООШ»")
    teacher: Any = teacher_at(school, last_name=marker(), first_name="Анна")
    mentee: Any = teacher_at(school, last_name=marker(), first_name="Мария")
    place = Place(region=region, municipality=municipality, organization=school, teacher=teacher)
    place.add(region, municipality, school, school2, teacher, mentee, *teacher.employments.all())

    center = center or OrganizationFactory(
        municipality=municipality, name=f"ЦНППМ {marker()}", kind="other", is_center=True
    )
    staff: Any = CenterStaffFactory(organization=center, last_name=marker())
    place.add(center, staff)

    # learning
    area = CompetenceArea.objects.order_by("pk").first() or CompetenceArea.objects.create(
        code="subject", name="Предметная"
    )
    program = Program.objects.create(title=f"Программа {marker()}", hours=36, region=region)
    cohort = Cohort.objects.create(
        program=program,
        title=f"Поток {marker()}",
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 3, 31),
    )
    enrollment = Enrollment.objects.create(cohort=cohort, teacher=teacher)
    diagnostic = Diagnostic.objects.create(
        teacher=teacher,
        conducted_on=datetime.date(2023, 1, 20),
        instrument=f"Диагностика {marker()}",
    )
    score = DiagnosticScore.objects.create(
        diagnostic=diagnostic, area=area, score=Decimal("40"), threshold=Decimal("60")
    )
    route = Route.objects.create(
        teacher=teacher,
        developed_on=datetime.date(2023, 2, 1),
        planned_end=datetime.date(2023, 12, 31),
    )
    step = RouteStep.objects.create(
        route=route,
        kind="self_study",
        title=f"Шаг {marker()}",
        planned_start=datetime.date(2023, 2, 1),
        planned_end=datetime.date(2023, 12, 31),
        evidence_file=ContentFile(b"%PDF-1.4 foreign evidence", name="evidence.pdf"),
    )
    transition = RouteTransition.objects.create(
        route=route,
        to_status="draft",
        changed_at=timezone.now(),
        changed_on=datetime.date(2023, 2, 1),
        comment=marker(),
    )
    training = StaffTraining.objects.create(
        staff=staff,
        program_title=f"Обучение {marker()}",
        start_date=datetime.date(2022, 4, 1),
        end_date=datetime.date(2022, 4, 30),
    )
    place.add(program, cohort, enrollment, diagnostic, score, route, step, transition, training)

    # events
    event = Event.objects.create(
        title=f"Семинар {marker()}",
        start_date=datetime.date(2023, 3, 15),
        end_date=datetime.date(2023, 3, 15),
        region=region,
        municipality=municipality,
        level="municipal",
    )
    participation = EventParticipation.objects.create(event=event, teacher=teacher)
    org_participation = EventParticipation.objects.create(event=event, organization=school)
    place.add(event, participation, org_participation)

    # mentorship
    form = MentoringForm.objects.order_by("pk").first() or MentoringForm.objects.create(
        code="experienced_young", name="Педагог — молодой специалист"
    )
    target = TargetModel.objects.create(
        organization=school,
        local_act_number=marker(),
        program_title=f"Программа наставничества {marker()}",
        local_act_file=ContentFile(b"%PDF-1.4 foreign act", name="act.pdf"),
    )
    pair = MentorPair.objects.create(
        organization=school,
        mentor=teacher,
        form=form,
        start_date=datetime.date(2021, 9, 1),
        planned_end=datetime.date(2022, 6, 30),
        goals=marker(),
    )
    pair.mentees.set([mentee])
    checkin = CheckIn.objects.create(
        pair=pair, date=datetime.date(2021, 10, 1), topic=f"Встреча {marker()}"
    )
    management = ManagementMentoring.objects.create(
        mentor_organization=school,
        mentee_organization=school2,
        start_date=datetime.date(2021, 9, 1),
        goals=marker(),
    )
    place.add(target, pair, checkin, management)

    # roadmap
    roadmap = RoadmapProgram.objects.create(
        region=region,
        title=f"Дорожная карта {marker()}",
        start_year=2020,
        end_year=2024,
        order_number="1-р",
        order_date=datetime.date(2020, 1, 1),
    )
    activity = Activity.objects.create(
        program=roadmap,
        number="1.1",
        sort_key=Activity.make_sort_key("1.1"),
        title=f"Мероприятие {marker()}",
        level_organization=True,
    )
    rule = ValidationRule.objects.create(
        program=roadmap, left="pairs", comparison="le", right="teachers", message=marker()
    )
    campaign = Campaign.objects.create(
        program=roadmap,
        title=f"Мониторинг {marker()}",
        year=2024,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        deadline=datetime.date(2025, 1, 20),
    )
    report = Report.objects.create(
        campaign=campaign, kind="organization", organization=school, municipality=municipality
    )
    item = ReportItem.objects.create(
        report=report,
        activity=activity,
        description=marker(),
        evidence_file=ContentFile(b"%PDF-1.4 foreign report evidence", name="report.pdf"),
    )
    report_transition = ReportTransition.objects.create(
        report=report, from_status="draft", to_status="draft", comment=marker()
    )
    waiver = Waiver.objects.create(campaign=campaign, organization=school2, reason=marker())
    reminder = Reminder.objects.create(report=report, recipients=marker())
    place.add(roadmap, activity, rule, campaign, report, item, report_transition, waiver, reminder)

    # reports: a finished analytical report of the foreign region's campaign
    from profdev.reports.models import GeneratedReport

    generated = GeneratedReport.objects.create(
        campaign=campaign,
        status="done",
        progress=100,
        error=marker(),
        docx=ContentFile(b"PK foreign analytical report", name="foreign.docx"),
    )
    place.add(generated)

    # imports
    uploader: Any = UserFactory(
        username=f"uploader{next(_serial)}",
        last_name=marker(),
        role=Role.SCHOOL,
        region=region,
        municipality=municipality,
        organization=school,
    )
    job = ImportJob.objects.create(
        user=uploader,
        kind="teachers",
        file=ContentFile(b"PK\x03\x04 not really", name="teachers.xlsx"),
        original_name=f"{marker()}.xlsx",
    )
    place.add(job)

    # accounts of the place, one per level of binding (user management, audit filters)
    coordinator: Any = UserFactory(
        username=f"{marker()}{next(_serial)}",
        last_name=marker(),
        role=Role.MUNICIPAL,
        region=region,
        municipality=municipality,
    )
    teacher_account: Any = UserFactory(
        username=f"{marker()}{next(_serial)}",
        last_name=marker(),
        role=Role.TEACHER,
        region=region,
        teacher=teacher,
    )
    place.add(uploader, coordinator, teacher_account)
    return place


def markers_of(obj: Model) -> set[str]:
    """The markers in an object's own text fields."""
    found: set[str] = set()
    for model_field in obj._meta.concrete_fields:
        value = getattr(obj, model_field.attname, None)
        if isinstance(value, str) and MARKER_PREFIX in value:
            start = 0
            while (index := value.find(MARKER_PREFIX, start)) >= 0:
                found.add(value[index : index + len(MARKER_PREFIX) + 3])
                start = index + 1
    return found
