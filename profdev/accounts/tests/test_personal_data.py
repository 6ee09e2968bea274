"""Personal data: SNILS never in logs or URLs; a person's data exported on request, audited."""

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from profdev.accounts.models import PersonalDataAccess
from profdev.common.identifiers import format_snils, make_snils
from profdev.common.logging import MaskSnilsFilter
from profdev.common.tests import isolation
from profdev.common.tests.fixtures import PASSWORD, World

SNILS_A = make_snils(700_000_001)
SNILS_B = make_snils(700_000_002)
SNILS_IMPORTED = make_snils(700_000_003)


class Capture(logging.Handler):
    """Collects formatted log lines, behind the same filter the configured handlers use."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.addFilter(MaskSnilsFilter())

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        if record.exc_text:
            text += record.exc_text
        self.lines.append(text)


def _variants(snils: str) -> list[str]:
    return [snils, format_snils(snils), format_snils(snils).replace(" ", "-")]


def test_every_configured_log_handler_masks_snils() -> None:
    handlers: Any = settings.LOGGING["handlers"]
    assert handlers
    for name, handler in handlers.items():
        assert "mask_snils" in handler.get("filters", []), name


@pytest.fixture
def capture() -> Any:
    handler = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_a_full_cycle_leaves_no_snils_in_logs_urls_or_redirects(
    world: World, operator: Any, capture: Capture, tmp_path: Path
) -> None:
    from profdev.imports.tests.helpers import HEADER, teacher_row, write_csv
    from profdev.people.models import Teacher

    client = Client()
    seen_urls: list[str] = []

    def go(method: str, url: str, **kwargs: Any) -> Any:
        response = getattr(client, method)(url, **kwargs)
        seen_urls.append(url)
        for header in ("Location", "HX-Push-Url"):
            if response.has_header(header):
                seen_urls.append(response[header])
        body = response.content.decode("utf-8", "replace") if not response.streaming else ""
        seen_urls.extend(re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', body))
        return response

    go("post", reverse("accounts:login"), data={"username": "operator", "password": PASSWORD})
    response = go(
        "post",
        reverse("people:teacher-create"),
        data={
            "last_name": "Логова",
            "first_name": "Лидия",
            "snils": format_snils(SNILS_A),
            "qualification_category": "none",
            "organization": world.school_a.pk,
            "position": "teacher",
            "employment_kind": "main",
            "start_date": "2020-09-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    teacher = Teacher.objects.get(snils=SNILS_A)
    go("get", reverse("people:teacher-detail", args=[teacher.pk]))
    go("post", reverse("people:teacher-create"), data={"snils": SNILS_A, "last_name": "Дубль"})
    go(
        "post",
        reverse("people:teacher-update", args=[teacher.pk]),
        data={
            "last_name": "Логова",
            "first_name": "Лидия",
            "snils": SNILS_B,
            "qualification_category": "none",
        },
    )
    go("get", f"/people/teachers/{SNILS_A}/")  # a 404 whose path holds a SNILS
    go("get", "/api/v1/teachers/")
    go("get", f"/api/v1/teachers/{teacher.pk}/")
    go(
        "post",
        "/api/v1/teachers/",
        data=json.dumps({"last_name": "Апиева", "first_name": "Ада", "snils": SNILS_B}),
        content_type="application/json",
    )
    csv_path = write_csv(
        tmp_path / "t.csv", [HEADER, teacher_row(1, world.school_a.name, snils=SNILS_IMPORTED)]
    )
    with open(csv_path, "rb") as handle:
        go("post", reverse("imports:index"), data={"kind": "teachers", "file": handle})
    # Searches by SNILS: the list's form (htmx and plain), a hand-typed address, the API.
    teachers = reverse("people:teacher-list")
    pushed = go("post", teachers, data={"q": SNILS_B}, HTTP_HX_REQUEST="true")["HX-Push-Url"]
    go("get", pushed)
    go("get", go("post", teachers, data={"q": format_snils(SNILS_B)})["Location"])
    typed = client.get(teachers, {"q": format_snils(SNILS_B)})  # the address a user typed
    seen_urls.append(typed["Location"])
    go("get", typed["Location"])
    assert client.get("/api/v1/teachers/", {"q": SNILS_B}).status_code == 400
    found = go(
        "post",
        "/api/v1/teachers/lookup/",
        data=json.dumps({"snils": SNILS_B}),
        content_type="application/json",
    )
    assert [row["id"] for row in found.json()] == [teacher.pk]
    logging.getLogger("profdev").warning("Педагог %s не найден", SNILS_A)  # a careless log line

    assert capture.lines, "the cycle must have logged something"
    text = "\n".join(capture.lines)
    for snils in (SNILS_A, SNILS_B, SNILS_IMPORTED):
        for variant in _variants(snils):
            assert variant not in text, f"SNILS {variant} in the logs"
    urls = "\n".join(seen_urls)
    for snils in (SNILS_B, SNILS_IMPORTED):
        for variant in _variants(snils):
            assert variant not in urls, f"SNILS in a URL or a link: {variant}"


def test_no_url_pattern_carries_a_snils() -> None:
    for route in isolation.walk_urls():
        assert not any("snils" in kwarg.lower() for kwarg in route.kwargs), route.pattern


def test_the_operator_exports_everything_about_a_person(
    world: World, operator: Any, login: Any
) -> None:
    from profdev.common.tests.foreign import populate_place

    place = populate_place(world.tomsk)
    teacher = place.teacher
    client: Client = login(operator)
    response = client.get(reverse("accounts:person-data-export", args=[teacher.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["teacher"]["snils"] == teacher.snils
    assert data["teacher_history"][0]["history_type"] == "+"
    sections = " ".join(data["related"])
    for label in [
        "people.Employment",
        "learning.Diagnostic",
        "learning.Route",
        "learning.Enrollment",
        "events.EventParticipation",
        "mentorship.MentorPair",
    ]:
        assert label in sections, label
    assert PersonalDataAccess.objects.filter(
        user=operator, teacher=teacher, field="export"
    ).exists()


def test_the_teacher_exports_their_own_data_and_no_one_elses(
    world: World, teacher_user: Any, school_coordinator: Any, login: Any
) -> None:
    client: Client = login(teacher_user)
    own = client.get(reverse("accounts:person-data-export", args=[world.teacher_a.pk]))
    assert own.status_code == 200
    other = client.get(reverse("accounts:person-data-export", args=[world.teacher_b.pk]))
    assert other.status_code == 404
    client = login(school_coordinator)
    assert (
        client.get(reverse("accounts:person-data-export", args=[world.teacher_a.pk])).status_code
        == 403
    )
