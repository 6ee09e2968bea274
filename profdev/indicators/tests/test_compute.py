"""Every numerator and denominator on small hand-built data sets."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profdev.common.tests.factories import (
    CenterStaffFactory,
    EmploymentFactory,
    OrganizationFactory,
    teacher_at,
)
from profdev.indicators import compute
from profdev.indicators.models import Target
from profdev.indicators.tests import factories as f

Y = 2023
D = datetime.date


def params(world, municipality=None, as_of=None, year=Y):
    return compute.Params(year, world.tomsk, municipality, as_of or D(year, 12, 31))


def by_code(figures):
    return {fig.code: fig for fig in figures}


def pair(fig):
    return fig.numerator, fig.denominator


@pytest.fixture
def two_municipalities(world):
    """teacher_a works in Томский район and (part-time) in Асиновский район."""
    EmploymentFactory(teacher=world.teacher_a, organization=world.school_c, kind="part_time")
    return world


def test_teachers_denominator_counts_a_person_in_each_municipality_and_once_in_region(
    two_municipalities,
):
    world = two_municipalities
    # An ended employment and a non-school organization never count.
    teacher_at(
        world.school_b, employment_start_date=D(2015, 9, 1), employment_end_date=D(2023, 5, 31)
    )
    teacher_at(world.center)
    region = by_code(compute.compute(params(world)))
    assert region["1"].denominator == 3  # a, b, c; not d (other region)
    district = by_code(compute.compute(params(world, world.tomsk_district)))
    asino = by_code(compute.compute(params(world, world.asino)))
    assert district["1"].denominator == 2
    assert asino["1"].denominator == 2  # teacher_c and teacher_a (part time)
    rows = {row.municipality.name: by_code(row.figures) for row in compute.breakdown(params(world))}
    assert rows["Томский район"]["1"].denominator == 2
    assert rows["Асиновский район"]["1"].denominator == 2
    assert rows["Город Томск"]["1"].denominator == 0


def test_indicator_1_routes_dated_in_year_approved_or_later(two_municipalities):
    world = two_municipalities
    f.route(world.teacher_a, D(Y, 3, 1), "approved")
    f.route(world.teacher_a, D(Y, 4, 1), "completed")  # same person once
    f.route(world.teacher_b, D(Y, 3, 1), "draft")  # draft: not counted
    f.route(world.teacher_c, D(Y - 1, 12, 31), "in_progress")  # previous year
    f.route(world.teacher_d, D(Y, 3, 1), "approved")  # other region
    region = by_code(compute.compute(params(world)))["1"]
    assert pair(region) == (1, 3)
    assert region.value == pytest.approx(0.3333, abs=1e-4)
    assert pair(by_code(compute.compute(params(world, world.asino)))["1"]) == (1, 2)
    assert pair(by_code(compute.compute(params(world, world.tomsk_district)))["1"]) == (1, 2)
    drill = compute.drill_down(params(world), "1")
    assert list(drill.counted) == [world.teacher_a]
    assert set(drill.missing) == {world.teacher_b, world.teacher_c}


def test_indicator_2_center_courses_completed_in_year(world):
    center = f.program(provider="center")
    other = f.program(provider="other")
    f.completion(world.teacher_a, D(Y, 6, 1), prog=center)
    f.completion(world.teacher_b, D(Y, 6, 1), prog=other)  # outside the Center: not counted
    f.completion(world.teacher_c, D(Y - 1, 6, 1), prog=center)  # previous year
    f.completion(world.teacher_c, None, prog=center, status="enrolled")  # not completed
    figure = by_code(compute.compute(params(world)))["2"]
    assert pair(figure) == (1, 3)
    drill = compute.drill_down(params(world), "2")
    assert list(drill.counted) == [world.teacher_a]


def test_indicator_3_staff_cumulative_over_active_staff(world):
    trained_before = world.staff
    f.staff_training(trained_before, D(Y - 2, 5, 1))  # cumulative: counts
    trained_now = CenterStaffFactory(organization=world.center, last_name="Второва")
    f.staff_training(trained_now, D(Y, 5, 1))
    untrained = CenterStaffFactory(organization=world.center, last_name="Третьякова")
    f.staff_training(untrained, None)  # not completed
    CenterStaffFactory(
        organization=world.center, start_date=D(2020, 1, 1), end_date=D(Y, 3, 1)
    )  # gone before the as-of date: not in the denominator
    future = CenterStaffFactory(organization=world.center, last_name="Будущая")
    f.staff_training(future, D(Y + 1, 2, 1))  # completed after the year
    figure = by_code(compute.compute(params(world)))["3"]
    assert pair(figure) == (2, 4)
    # a municipality sees the regional figure (the Center is regional)
    assert pair(by_code(compute.compute(params(world, world.asino)))["3"]) == (2, 4)
    assert set(compute.drill_down(params(world), "3").missing) == {untrained, future}


def test_indicator_4_regional_events_started_in_year(world):
    counted = f.event(world.tomsk, D(Y, 2, 1))
    f.event(world.tomsk, D(Y - 1, 12, 20))  # previous year
    f.event(world.tomsk, D(Y, 2, 1), level="municipal")  # not regional
    f.event(world.nsk, D(Y, 2, 1))  # other region
    second = f.event(world.tomsk, D(Y, 10, 1))
    f.participation(counted, teacher=world.teacher_c)
    f.participation(second, organization=world.school_a)
    figure = by_code(compute.compute(params(world)))["4"]
    assert (figure.numerator, figure.denominator, figure.value) == (2, None, 2)
    assert by_code(compute.compute(params(world, world.asino)))["4"].numerator == 1
    assert by_code(compute.compute(params(world, world.tomsk_district)))["4"].numerator == 1
    rows = {row.municipality.name: by_code(row.figures) for row in compute.breakdown(params(world))}
    assert rows["Асиновский район"]["4"].numerator == 1
    assert rows["Томский район"]["4"].numerator == 1
    assert rows["Город Томск"]["4"].numerator == 0
    assert set(compute.drill_down(params(world), "4").counted) == {counted, second}


def test_indicator_5_management_courses_by_management_members(world):
    management = f.program(provider="other", audience="management")
    director = teacher_at(
        world.school_a, employment_position="director", employment_is_management=True
    )
    f.completion(director, D(Y, 4, 1), prog=management)
    f.completion(world.teacher_b, D(Y, 4, 1), prog=management)  # not management: not counted
    deputy = teacher_at(
        world.school_c, employment_position="deputy_director", employment_is_management=True
    )
    f.completion(deputy, D(Y - 1, 4, 1), prog=management)  # previous year
    figure = by_code(compute.compute(params(world)))["5"]
    assert pair(figure) == (1, 3)  # schools a, b, c; the Center is not a school
    assert figure.value == pytest.approx(0.3333, abs=1e-4)
    assert pair(by_code(compute.compute(params(world, world.tomsk_district)))["5"]) == (1, 2)
    drill = compute.drill_down(params(world), "5")
    assert list(drill.counted) == [world.school_a]
    assert set(drill.missing) == {world.school_b, world.school_c}


def test_indicator_5_requires_management_at_that_school_at_completion(world):
    management = f.program(audience="management")
    # a director since 2024 completed the course in 2023 while still an ordinary teacher
    person = teacher_at(
        world.school_b, employment_start_date=D(2010, 9, 1), employment_end_date=D(2023, 12, 31)
    )
    EmploymentFactory(
        teacher=person,
        organization=world.school_b,
        position="director",
        is_management=True,
        start_date=D(2024, 1, 1),
    )
    f.completion(person, D(Y, 5, 1), prog=management)
    assert by_code(compute.compute(params(world)))["5"].numerator == 0


def test_status_met_not_met_no_target(world):
    f.route(world.teacher_a, D(Y, 3, 1))  # 1/3 = 33 % >= 10 %
    figures = by_code(compute.compute(params(world)))
    assert figures["1"].target == Decimal("10.00")
    assert figures["1"].status == "met"
    assert figures["2"].status == "not_met"  # 0 % < 10 %
    assert figures["4"].status == "not_met"  # 0 < 4 events
    assert figures["4"].target_json == 4
    assert figures["1"].target_json == pytest.approx(0.1)
    later = by_code(compute.compute(params(world, year=2025)))
    assert later["1"].status == "no_target"


def test_forecast_and_at_risk_for_the_current_year(world, monkeypatch):
    monkeypatch.setattr(compute.timezone, "localdate", lambda: D(2024, 7, 1))
    Target.objects.create(indicator="4", year=2024, value=4, unit="count")
    Target.objects.create(indicator="2", year=2024, value=90, unit="share")
    f.event(world.tomsk, D(2024, 2, 1))
    f.event(world.tomsk, D(2024, 3, 1))
    center = f.program()
    f.completion(world.teacher_a, D(2024, 3, 1), prog=center)
    figures = by_code(compute.compute(params(world, year=2024, as_of=D(2024, 6, 30))))
    assert figures["4"].status == "not_met"  # 2 by mid-year: forecast ~4
    assert figures["4"].forecast == pytest.approx(2 * 366 / 182, rel=1e-3)
    assert figures["2"].status == "at_risk"  # 33 % forecast 67 % < 90 %


def test_other_region_is_not_counted_and_breakdown_matches_scope(world):
    f.route(world.teacher_d, D(Y, 3, 1))
    f.route(world.teacher_c, D(Y, 3, 1))
    region = by_code(compute.compute(params(world)))
    rows = compute.breakdown(params(world))
    assert {row.municipality.region_id for row in rows} == {world.tomsk.pk}
    for row in rows:
        local = by_code(compute.compute(params(world, row.municipality)))
        for code, figure in by_code(row.figures).items():
            assert pair(figure) == pair(local[code]), (row.municipality, code)
    assert region["1"].numerator == 1


def test_query_count_does_not_grow_with_municipalities(world):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            compute.breakdown(params(world))
            compute.compute(params(world))
        return len(ctx.captured_queries)

    def add_schools(numbers: range) -> None:
        for n in numbers:
            school = OrganizationFactory(municipality__region=world.tomsk, name=f"Школа {n}")
            teacher_at(school)

    count_queries()  # the first computation also reads the rule settings to compile its statements
    add_schools(range(1))  # after a write, as below: the region is recomputed
    before = count_queries()
    add_schools(range(1, 6))
    assert count_queries() == before


def test_json_shape(world):
    figures = compute.compute(params(world, world.asino))
    data = compute.as_json(params(world, world.asino), figures)
    assert set(data) == {"year", "as_of", "scope", "indicators"}
    assert data["as_of"] == "2023-12-31"
    assert data["scope"]["level"] == "municipality"
    assert [item["code"] for item in data["indicators"]] == list("1234567")
    for item in data["indicators"]:
        assert set(item) == {
            "code",
            "title",
            "numerator",
            "denominator",
            "value",
            "unit",
            "target",
            "status",
        }
    assert data["indicators"][3]["denominator"] is None


@pytest.mark.parametrize(
    ("year", "as_of", "field"),
    [
        (2019, None, "year"),
        (2099, None, "year"),
        ("abc", None, "year"),
        (2023, "2022-12-31", "as_of"),
        (2023, "31.12.2023", "as_of"),
    ],
)
def test_bad_input(operator, year, as_of, field):
    with pytest.raises(ValidationError) as error:
        compute.resolve_params(user=operator, year=year, as_of=as_of)
    assert field in error.value.message_dict


def test_municipality_must_be_known_and_in_scope(
    world, operator, asino_coordinator, other_region_operator
):
    with pytest.raises(ValidationError):
        compute.resolve_params(user=operator, year=Y, municipality=999999)
    with pytest.raises(ValidationError):
        compute.resolve_params(user=operator, year=Y, municipality=world.nsk_city.pk)
    with pytest.raises(ValidationError):
        compute.resolve_params(user=asino_coordinator, year=Y, municipality=world.tomsk_district.pk)
    own = compute.resolve_params(user=asino_coordinator, year=Y)
    assert own.municipality == world.asino
    assert compute.resolve_params(user=other_region_operator, year=Y).region == world.nsk


def test_school_and_teacher_users_are_refused(school_coordinator, teacher_user):
    for user in (school_coordinator, teacher_user):
        with pytest.raises(PermissionDenied):
            compute.resolve_params(user=user, year=Y)


def test_default_as_of():
    assert compute.default_as_of(2023, D(2024, 5, 5)) == D(2023, 12, 31)
    assert compute.default_as_of(2024, D(2024, 5, 5)) == D(2024, 5, 5)


def test_order_308_targets_are_seeded(db):
    assert Target.objects.filter(year__in=[2021, 2022, 2023]).count() == 21
    assert Target.objects.get(indicator="3", year=2022).value == 100
    assert Target.objects.get(indicator="4", year=2021).unit == "count"


def _implementing(school, curator, act_date):
    from profdev.mentorship.tests.factories import MentorPairFactory, TargetModelFactory

    TargetModelFactory(organization=school, local_act_date=act_date, curator=curator)
    MentorPairFactory(
        organization=school, mentor=curator, start_date=D(Y, 2, 1), planned_end=D(Y, 12, 1)
    )


def test_indicator_6_schools_implementing_the_target_model(world):
    _implementing(world.school_a, world.teacher_a, D(Y, 3, 1))
    _implementing(world.school_c, world.teacher_c, D(Y + 1, 1, 15))  # act after the year
    figure = by_code(compute.compute(params(world)))["6"]
    assert pair(figure) == (1, 3)
    assert figure.status == "met"  # 33 % >= 20 %
    assert pair(by_code(compute.compute(params(world, world.asino)))["6"]) == (0, 1)
    rows = {row.municipality.name: by_code(row.figures) for row in compute.breakdown(params(world))}
    assert pair(rows["Томский район"]["6"]) == (1, 2)
    assert set(compute.drill_down(params(world), "6").missing) == {world.school_b, world.school_c}


def test_indicator_7_management_mentoring_active_during_year(world):
    from profdev.mentorship.tests.factories import ManagementMentoringFactory

    ManagementMentoringFactory(
        mentor_organization=world.school_a,
        mentee_organization=world.school_b,
        start_date=D(Y - 1, 9, 1),
        end_date=D(Y, 5, 31),
    )
    ManagementMentoringFactory(  # ended before the year
        mentor_organization=world.school_c,
        mentee_organization=world.school_d,
        start_date=D(Y - 2, 9, 1),
        end_date=D(Y - 1, 5, 31),
    )
    figure = by_code(compute.compute(params(world)))["7"]
    assert pair(figure) == (2, 3)
    assert pair(by_code(compute.compute(params(world, world.asino)))["7"]) == (0, 1)
    assert set(compute.drill_down(params(world), "7").counted) == {world.school_a, world.school_b}
