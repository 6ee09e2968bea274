"""Pages, API, command and exports of the indicators: shape, scope and bad input."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from profdev.indicators.models import Target
from profdev.indicators.tests import factories as f

API = "/api/v1/indicators/"
D = datetime.date


def _xlsx_rows(response):
    content = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_api_shape_and_values(world, operator, login):
    f.route(world.teacher_a, D(2023, 3, 1))
    response = login(operator).get(API, {"year": 2023})
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2023 and data["as_of"] == "2023-12-31"
    assert data["scope"]["level"] == "region"
    first = data["indicators"][0]
    assert (first["numerator"], first["denominator"], first["target"], first["status"]) == (
        1,
        3,
        0.1,
        "met",
    )
    assert first["value"] == pytest.approx(1 / 3, abs=1e-3)


@pytest.mark.parametrize(
    "query",
    [
        {"year": 2019},
        {"year": 2099},
        {"year": "x"},
        {},
        {"year": 2023, "as_of": "2024-01-01"},
        {"year": 2023, "as_of": "нет"},
        {"year": 2023, "municipality": 999999},
        {"year": 2023, "municipality": "abc"},
    ],
)
def test_api_bad_input_is_400(world, operator, login, query):
    response = login(operator).get(API, query)
    assert response.status_code == 400


def test_api_out_of_scope_municipality(world, asino_coordinator, other_region_operator, login):
    client = login(asino_coordinator)
    assert (
        client.get(API, {"year": 2023, "municipality": world.tomsk_district.pk}).status_code == 400
    )
    own = client.get(API, {"year": 2023})
    assert own.json()["scope"] == {
        "level": "municipality",
        "id": world.asino.pk,
        "name": "Асиновский район",
    }
    nsk = login(other_region_operator).get(API, {"year": 2023, "municipality": world.asino.pk})
    assert nsk.status_code == 400


def test_api_refuses_school_and_anonymous(world, school_coordinator, client, login):
    assert client.get(API, {"year": 2023}).status_code in (401, 403)
    assert login(school_coordinator).get(API, {"year": 2023}).status_code == 403


def test_api_breakdown(world, official, login):
    f.route(world.teacher_c, D(2023, 3, 1))
    data = login(official).get(API + "breakdown/", {"year": 2023}).json()
    by_name = {m["municipality"]["name"]: m["indicators"] for m in data["municipalities"]}
    assert set(by_name) == {"Асиновский район", "Город Томск", "Томский район"}
    assert (
        by_name["Асиновский район"][0]["numerator"],
        by_name["Асиновский район"][0]["denominator"],
    ) == (1, 1)


def test_command_json(world, capsys):
    f.event(world.tomsk, D(2023, 5, 1))
    call_command(
        "indicators", "--year", "2023", "--municipality", str(world.asino.pk), "--format", "json"
    )
    data = json.loads(capsys.readouterr().out)
    assert data["scope"]["id"] == world.asino.pk
    assert data["indicators"][0]["denominator"] == 1
    with pytest.raises(CommandError):
        call_command("indicators", "--year", "2019")
    with pytest.raises(CommandError):
        call_command("indicators", "--year", "2023", "--as-of", "2022-01-01")
    with pytest.raises(CommandError):
        call_command("indicators", "--year", "2023", "--municipality", "999999")


def test_dashboard_renders_for_region_and_coordinator(
    world, official, tomsk_district_coordinator, login
):
    response = login(official).get(reverse("indicators:dashboard"), {"year": 2023})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Асиновский район" in body and "indicator-charts" in body
    coordinator = login(tomsk_district_coordinator).get(
        reverse("indicators:dashboard"), {"year": 2023}
    )
    text = coordinator.content.decode()
    assert "Томский район" in text and "Асиновский район" not in text


def test_dashboard_bad_input_is_form_error(world, operator, login):
    response = login(operator).get(reverse("indicators:dashboard"), {"year": 1999})
    assert response.status_code == 400
    assert "Год должен быть" in response.content.decode()


def test_drill_down_and_export(world, operator, login):
    f.route(world.teacher_a, D(2023, 3, 1))
    client = login(operator)
    url = reverse("indicators:drill-down", args=["1"])
    counted = client.get(url, {"year": 2023, "list": "counted"})
    assert "Алексеева" in counted.content.decode()
    missing = client.get(url, {"year": 2023, "list": "missing"}).content.decode()
    assert "Борисова" in missing and "Алексеева" not in missing
    rows = _xlsx_rows(client.get(url, {"year": 2023, "list": "missing", "export": "xlsx"}))
    assert sorted(r[0] for r in rows[1:]) == ["Борисова Белла Ивановна", "Васильева Вера Ивановна"]


def test_drill_down_is_scoped(world, asino_coordinator, login):
    f.route(world.teacher_a, D(2023, 3, 1))
    client = login(asino_coordinator)
    url = reverse("indicators:drill-down", args=["1"])
    body = client.get(url, {"year": 2023, "list": "missing"}).content.decode()
    assert "Васильева" in body and "Борисова" not in body
    assert (
        client.get(url, {"year": 2023, "municipality": world.tomsk_district.pk}).status_code == 400
    )


def test_indicator_table_export(world, operator, login):
    response = login(operator).get(reverse("indicators:export"), {"year": 2023})
    rows = _xlsx_rows(response)
    assert rows[0][:4] == ["Территория", "Показатель", "Цель", "Значение"]
    assert len(rows) == 1 + 7 * 4  # region + three municipalities


def test_target_editing_by_operator_only(world, operator, official, login):
    create = reverse("indicators:target-create")
    client = login(operator)
    bad = client.post(create, {"indicator": "1", "year": 2024, "value": "150", "unit": "share"})
    assert bad.status_code == 200 and "100" in bad.content.decode()
    negative = client.post(create, {"indicator": "4", "year": 2024, "value": "-1", "unit": "count"})
    assert negative.status_code == 200
    assert not Target.objects.filter(year=2024).exists()
    ok = client.post(create, {"indicator": "1", "year": 2024, "value": "15", "unit": "share"})
    assert ok.status_code == 302
    assert Target.objects.get(year=2024).value == 15
    assert login(official).get(create).status_code == 403


@pytest.mark.parametrize("user_fixture", ["school_coordinator", "teacher_user"])
def test_school_and_teacher_users_get_403_everywhere(world, login, request, user_fixture):
    client = login(request.getfixturevalue(user_fixture))
    for url in (
        reverse("indicators:dashboard"),
        reverse("indicators:export"),
        reverse("indicators:drill-down", args=["1"]),
    ):
        assert client.get(url, {"year": 2023}).status_code == 403
    assert client.get(API, {"year": 2023}).status_code == 403


def test_drill_down_unknown_code_and_export_bad_input(world, operator, login):
    client = login(operator)
    assert (
        client.get(reverse("indicators:drill-down", args=["9"]), {"year": 2023}).status_code == 404
    )
    assert (
        client.get(reverse("indicators:export"), {"year": 2023, "as_of": "2021-01-01"}).status_code
        == 400
    )


def test_target_update_keeps_range_checks(world, operator, login):
    target = Target.objects.get(indicator="2", year=2023)
    client = login(operator)
    url = reverse("indicators:target-update", args=[target.pk])
    response = client.post(url, {"indicator": "2", "year": 2023, "value": "101", "unit": "share"})
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.value == 10
    ok = client.post(url, {"indicator": "2", "year": 2023, "value": "12.5", "unit": "share"})
    assert ok.status_code == 302
    target.refresh_from_db()
    assert str(target.value) == "12.50"


def test_dashboard_figures_fragment_is_cached_and_follows_writes(world, official, login):
    from unittest import mock

    from profdev.common.tests.factories import teacher_at

    client = login(official)
    url = reverse("indicators:dashboard")

    def figures(**query):
        body = client.get(url, {"year": 2023, **query}).content.decode()
        return body[body.index('<div class="row row-cols-1') : body.index("indicator-chart-labels")]

    first = figures()
    with mock.patch(
        "profdev.indicators.views.render_to_string", side_effect=AssertionError
    ) as rendered:
        again = figures()
    assert not rendered.called and again == first  # same figures: the fragment from the cache
    teacher_at(world.school_a)  # one more teacher in the denominators
    after = figures()
    assert after != first
    assert "знаменатель: 3" in first and "знаменатель: 4" in after


def test_a_stored_dashboard_is_the_fresh_dashboard_after_writes(
    world, official, tomsk_district_coordinator, login
):
    """The whole page is served from memory (`common.page_cache`) and equals the page rendered
    with every cache emptied after each write that changes what it shows."""
    import re

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from profdev.common import page_cache
    from profdev.common.tests.factories import teacher_at
    from profdev.indicators import compute
    from profdev.orgs.models import Municipality, Region
    from profdev.people.models import Employment

    url = reverse("indicators:dashboard")
    token = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')

    def served(client):
        response = client.get(url, {"year": 2023})
        assert response.status_code == 200
        body = response.content.decode()
        assert page_cache.PLACEHOLDER not in body
        return token.sub("", body)

    def fresh(client):
        page_cache.PAGES.clear()
        cache.clear()
        compute._BUILT.clear()
        return served(client)

    for round_, user in enumerate((official, tomsk_district_coordinator)):
        client = login(user)
        first = served(client)
        with CaptureQueriesContext(connection) as ctx:
            assert served(client) == first
        assert len(ctx.captured_queries) <= 5  # session, user, the stamps: no figures read
        assert first == fresh(client)
        writes = [
            lambda n: teacher_at(world.school_a),  # a denominator
            lambda n: Target.objects.filter(indicator="2", year=2023).update(value=70 + n),
            lambda n: Municipality.objects.filter(pk=world.tomsk_district.pk).update(
                name=f"Томский р-н {n}"
            ),
            lambda n: Region.objects.filter(pk=world.tomsk.pk).update(name=f"Томская обл. {n}"),
            # A bulk update: teacher B leaves in June (first round), then comes back.
            lambda n: Employment.objects.filter(teacher=world.teacher_b).update(
                end_date=D(2023, 6, 30) if n == 0 else None
            ),
        ]
        for number, write in enumerate(writes):
            before = served(client)
            write(round_)
            after = served(client)
            assert after == fresh(client), (user.username, number)
            shown = (round_, number) != (1, 3)  # a municipality's dashboard names no region
            assert (after != before) == shown, (user.username, number)


def test_a_dashboard_rendered_afresh_reads_the_stamps_once(world, official, login):
    """On a miss of the stored page, the figures are keyed by the stamps the page's key was
    read with, not by a second read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from profdev.common.tests.factories import teacher_at
    from profdev.indicators.models import DataVersion

    client = login(official)
    url = reverse("indicators:dashboard")
    before = client.get(url, {"year": 2023}).content
    teacher_at(world.school_a)  # the stored page and the region's counts are out of date
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"year": 2023})
    assert response.status_code == 200 and response.content != before
    stamp_reads = [q for q in ctx.captured_queries if DataVersion._meta.db_table in q["sql"]]
    assert len(stamp_reads) == 1
