"""The generated country at --scale 0.01: sizes, model invariants and sane indicator values."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q

from profdev.accounts.models import User
from profdev.common.country import CountryGenerator, Sizes
from profdev.common.identifiers import snils_error
from profdev.events.models import EventParticipation
from profdev.indicators import compute
from profdev.learning.models import Enrollment, Route
from profdev.mentorship.models import ManagementMentoring, MentorPair
from profdev.orgs.models import Municipality, Organization, Region
from profdev.people.models import Employment, Teacher
from profdev.roadmap.models import Report, ReportItem

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def country(db):
    out = StringIO()
    call_command("generate_country", scale=0.01, seed=7, today=TODAY, stdout=out)
    return out.getvalue()


def test_sizes_follow_the_scale(country):
    sizes = Sizes.for_scale(0.01)
    assert "Готово" in country
    assert Region.objects.filter(code__startswith="G").count() == sizes.regions == 1
    assert Municipality.objects.count() == sizes.municipalities == 23
    assert Organization.objects.count() == sizes.organizations == 400
    assert Teacher.objects.count() == sizes.teachers == 10_600
    assert Employment.objects.count() >= sizes.teachers
    assert abs(Enrollment.objects.count() - sizes.enrollments) < sizes.enrollments * 0.02
    assert Route.objects.count() == sizes.routes == 3_000
    assert MentorPair.objects.count() == sizes.pairs == 2_000
    assert ManagementMentoring.objects.exists()
    assert EventParticipation.objects.exists()
    assert ReportItem.objects.exists()
    assert User.objects.filter(username="g01-official", role="official").exists()


def test_invariants_the_app_relies_on(country):
    # Every employment's organization exists and is in its municipality's region.
    assert not Employment.objects.exclude(organization__in=Organization.objects.all()).exists()
    assert not Organization.objects.exclude(region=F("municipality__region")).exists()
    assert not Employment.objects.filter(end_date__lt=F("start_date")).exists()
    # Valid, unique SNILS.
    snils = list(Teacher.objects.values_list("snils", flat=True))
    assert len(set(snils)) == len(snils)
    assert all(snils_error(value) is None for value in snils)
    # A pair's mentor and mentee work (or worked) at the pair's school; never the same person.
    assert not MentorPair.objects.exclude(
        mentor__employments__organization=F("organization")
    ).exists()
    assert not MentorPair.objects.exclude(
        mentees__employments__organization=F("organization")
    ).exists()
    assert not MentorPair.objects.filter(mentees=F("mentor")).exists()
    assert not MentorPair.objects.annotate(n=Count("mentees")).exclude(n=1).exists()
    # Enrollments in cohorts of the teacher's region; completed ones dated.
    assert not Enrollment.objects.exclude(
        cohort__program__region=F("teacher__employments__organization__region")
    ).exists()
    assert not Enrollment.objects.filter(status="completed", completion_date__isnull=True).exists()
    assert not ManagementMentoring.objects.filter(
        mentor_organization=F("mentee_organization")
    ).exists()
    # Reports as campaign_open makes them: school reports carry their municipality.
    assert (
        not Report.objects.filter(kind="organization")
        .exclude(municipality=F("organization__municipality"))
        .exists()
    )
    assert not Report.objects.filter(~Q(kind="region"), municipality__isnull=True).exists()
    # Staff of each region's Center.
    region = Region.objects.get(code="G01")
    assert Organization.objects.filter(region=region, is_center=True).count() == 1


def test_indicator_values_are_shares_between_0_and_1(country):
    region = Region.objects.get(code="G01")
    year = TODAY.year - 1
    params = compute.Params(year, region, None, compute.default_as_of(year))
    figures = compute.compute_direct(params)
    for figure in figures:
        assert figure.numerator is not None
        if figure.unit == "share":
            assert figure.denominator
            assert 0 <= figure.value <= 1, figure.code
    assert {f.code: f.numerator for f in figures}["4"] > 0
    assert all(f.numerator for f in figures if f.code in ("1", "2", "5", "6", "7"))
    for row in compute.breakdown_direct(params):
        for figure in row.figures:
            if figure.unit == "share" and figure.value is not None:
                assert 0 <= figure.value <= 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the steps are PostgreSQL's plan")
def test_the_count_steps_give_the_direct_counts(country):
    from profdev.indicators import steps
    from profdev.indicators.tests.test_steps import counted

    region = Region.objects.get(code="G01")
    assert steps.build([region.pk]) > 10_000
    for as_of in [datetime.date(2025, month, 1 + month) for month in range(1, 13)] + [TODAY]:
        stepped = counted(as_of.year, as_of, [region.pk], stepped=True)
        assert stepped == counted(as_of.year, as_of, [region.pk], stepped=False), as_of
        if as_of.month >= 6:  # something to count by then
            region_pairs = stepped[region.pk][0]
            assert all(region_pairs[code][0] for code in ("1", "2", "4", "5", "7")), as_of


def test_same_seed_same_data_and_no_second_run(db):
    def fingerprint() -> str:
        rows = Teacher.objects.order_by("id").values_list("snils", "last_name")
        routes = Route.objects.order_by("id").values_list("teacher_id", "developed_on", "status")
        return hashlib.sha256(repr((list(rows), list(routes))).encode()).hexdigest()

    prints = []
    for _ in range(2):
        with pytest.raises(RuntimeError), transaction.atomic():
            CountryGenerator(scale=0.002, seed=11, today=TODAY).run()
            prints.append(fingerprint())
            raise RuntimeError  # roll back: the second run starts from the same empty database
    assert prints[0] == prints[1]
    CountryGenerator(scale=0.002, seed=11, today=TODAY).run()
    with pytest.raises(CommandError, match="уже есть"):
        call_command("generate_country", scale=0.002, stdout=StringIO())
    teachers = Teacher.objects.count()
    out = StringIO()
    call_command("generate_country", scale=0.002, if_empty=True, stdout=out)
    assert "уже сгенерирована" in out.getvalue()
    assert Teacher.objects.count() == teachers
