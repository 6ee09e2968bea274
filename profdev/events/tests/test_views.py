"""Pages, API and export of events: workflows and scope (Асино cannot see Томский район)."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from profdev.events.choices import EventLevel
from profdev.events.models import Event, EventParticipation
from profdev.events.tests.factories import EventFactory, EventParticipationFactory

D = datetime.date


@pytest.fixture
def regional(world):
    event = EventFactory(
        region=world.tomsk, title="Форум педагогов", kind="forum", start_date=D(2022, 5, 10)
    )
    EventParticipationFactory(event=event, teacher=world.teacher_a)  # Томский район
    EventParticipationFactory(event=event, organization=world.school_b)  # Томский район
    EventParticipationFactory(event=event, teacher=world.teacher_c)  # Асино
    return event


@pytest.fixture
def tomsk_municipal(world):
    return EventFactory(
        region=world.tomsk,
        title="Методический день Томского района",
        level=EventLevel.MUNICIPAL,
        municipality=world.tomsk_district,
        start_date=D(2023, 3, 1),
    )


def _xlsx_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [row for row in book.active.iter_rows(values_only=True)]


def _content(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_list_filters_search_and_export(login, operator, regional, tomsk_municipal):
    client = login(operator)
    url = reverse("events:event-list")
    page = client.get(url)
    assert page.status_code == 200
    assert "Форум педагогов" in page.content.decode()
    page = client.get(url, {"year": 2023})
    assert "Форум педагогов" not in page.content.decode()
    assert "Методический день" in page.content.decode()
    page = client.get(url, {"level": "regional", "q": "Форум"})
    assert "Форум педагогов" in page.content.decode()
    assert "Методический день" not in page.content.decode()
    response = client.get(url, {"export": "xlsx", "kind": "forum"})
    rows = _xlsx_rows(response)
    assert len(rows) == 2
    assert "Форум педагогов" in rows[1]
    assert 3 in rows[1]


def test_event_visible_to_everyone_in_region_but_not_other_region(
    login, asino_coordinator, teacher_user, other_region_operator, regional
):
    for user in (asino_coordinator, teacher_user):
        assert login(user).get(regional.get_absolute_url()).status_code == 200
    client = login(other_region_operator)
    assert client.get(regional.get_absolute_url()).status_code == 404
    assert "Форум педагогов" not in client.get(reverse("events:event-list")).content.decode()
    assert client.get(reverse("api:event-detail", args=[regional.pk])).status_code == 404


def test_asino_coordinator_sees_only_own_participants(login, asino_coordinator, world, regional):
    client = login(asino_coordinator)
    page = client.get(regional.get_absolute_url()).content.decode()
    assert "Васильева" in page
    assert "Алексеева" not in page
    assert "Богашёвская" not in page
    data = client.get(reverse("api:event-participation-list"), {"event": regional.pk}).json()
    results = data["results"] if isinstance(data, dict) else data
    assert [row["teacher"] for row in results] == [world.teacher_c.pk]
    foreign = EventParticipation.objects.get(teacher=world.teacher_a)
    url = reverse("api:event-participation-detail", args=[foreign.pk])
    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404
    response = client.post(reverse("events:participation-remove", args=[foreign.pk]))
    assert response.status_code == 404
    assert EventParticipation.objects.filter(pk=foreign.pk).exists()


def test_asino_coordinator_cannot_change_tomsk_district_event(
    login, asino_coordinator, world, tomsk_municipal
):
    client = login(asino_coordinator)
    assert client.get(reverse("events:event-update", args=[tomsk_municipal.pk])).status_code == 403
    response = client.post(
        reverse("events:participation-add", args=[tomsk_municipal.pk]),
        {"teacher": world.teacher_c.pk, "role": "participant"},
    )
    assert response.status_code == 403
    response = client.patch(
        reverse("api:event-detail", args=[tomsk_municipal.pk]),
        {"title": "Чужое"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post(
        reverse("api:event-participation-list"),
        {"event": tomsk_municipal.pk, "teacher": world.teacher_c.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not tomsk_municipal.participations.exists()
    tomsk_municipal.refresh_from_db()
    assert tomsk_municipal.title == "Методический день Томского района"


def test_create_edit_delete_through_pages(login, operator, world):
    client = login(operator)
    response = client.post(
        reverse("events:event-create"),
        {
            "title": "Региональный конкурс «Педагог года»",
            "kind": "contest",
            "level": "regional",
            "start_date": "2023-10-01",
            "end_date": "2023-10-05",
            "format": "in_person",
            "organizer": "ТОИПКРО",
            "participant_count": "",
            "description": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert event.region == world.tomsk
    response = client.post(
        reverse("events:event-update", args=[event.pk]),
        {
            "title": "Конкурс «Педагог года — 2023»",
            "kind": "contest",
            "level": "regional",
            "start_date": "2023-10-01",
            "end_date": "2023-10-06",
            "format": "mixed",
            "participant_count": "120",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.participant_count == 120
    assert event.format == "mixed"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "История изменений" in page
    response = client.post(reverse("events:event-delete", args=[event.pk]))
    assert response.status_code == 302
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start_date": "2023-10-05", "end_date": "2023-10-01"}, "раньше даты начала"),
        ({"participant_count": "-3"}, "отрицательным"),
    ],
)
def test_form_bad_input(login, operator, world, data, message):
    payload = {
        "title": "Семинар",
        "kind": "seminar",
        "level": "regional",
        "start_date": "2023-10-01",
        "end_date": "2023-10-01",
        "format": "in_person",
        **data,
    }
    response = login(operator).post(reverse("events:event-create"), payload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_municipal_coordinator_form_rejects_regional_event(login, asino_coordinator, world):
    response = login(asino_coordinator).post(
        reverse("events:event-create"),
        {
            "title": "Региональный форум",
            "kind": "forum",
            "level": "regional",
            "start_date": "2023-10-01",
            "end_date": "2023-10-01",
            "format": "in_person",
        },
    )
    assert response.status_code == 200
    assert "только муниципальные мероприятия" in response.content.decode()
    assert not Event.objects.exists()


def test_htmx_add_and_remove_participant(login, operator, world, regional):
    client = login(operator)
    url = reverse("events:participation-add", args=[regional.pk])
    response = client.post(
        url, {"teacher": world.teacher_b.pk, "role": "speaker"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Борисова" in response.content.decode()
    assert regional.participations.count() == 4
    # duplicate: a clear message, nothing saved
    response = client.post(
        url, {"teacher": world.teacher_b.pk, "role": "participant"}, HTTP_HX_REQUEST="true"
    )
    assert "уже есть среди участников" in response.content.decode()
    assert regional.participations.count() == 4
    added = regional.participations.get(teacher=world.teacher_b)
    response = client.post(
        reverse("events:participation-remove", args=[added.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert regional.participations.count() == 3


def test_participant_outside_scope_via_page(login, asino_coordinator, world):
    event = EventFactory(region=world.tomsk, level=EventLevel.MUNICIPAL, municipality=world.asino)
    response = login(asino_coordinator).post(
        reverse("events:participation-add", args=[event.pk]),
        {"teacher": world.teacher_a.pk, "role": "participant"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert not event.participations.exists()


def test_api_create_event_and_participation(login, operator, world):
    client = login(operator)
    response = client.post(
        reverse("api:event-list"),
        {
            "title": "Вебинар по ФГОС",
            "kind": "webinar",
            "level": "regional",
            "start_date": "2024-02-01",
            "end_date": "2024-02-01",
            "format": "remote",
            "participant_count": 250,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    response = client.post(
        reverse("api:event-participation-list"),
        {"event": event_id, "organization": world.school_a.pk, "role": "participant"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = client.post(
        reverse("api:event-participation-list"),
        {"event": event_id, "organization": world.school_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "уже есть среди участников" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start_date": "2024-02-05", "end_date": "2024-02-01"}, "end_date"),
        ({"participant_count": -1}, "participant_count"),
    ],
)
def test_api_bad_input(login, operator, world, data, field):
    payload = {
        "title": "Вебинар",
        "kind": "webinar",
        "start_date": "2024-02-01",
        "end_date": "2024-02-01",
        **data,
    }
    response = login(operator).post(
        reverse("api:event-list"), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Event.objects.exists()


def test_teacher_page_lists_events(login, teacher_user, world, regional):
    page = login(teacher_user).get(world.teacher_a.get_absolute_url()).content.decode()
    assert "Форум педагогов" in page


def test_export_of_other_region_is_empty(login, other_region_operator, regional):
    response = login(other_region_operator).get(reverse("events:event-list"), {"export": "xlsx"})
    rows = _xlsx_rows(response)
    assert len(rows) == 1


def test_teacher_search_is_scoped(login, asino_coordinator, operator, world):
    event = EventFactory(region=world.tomsk, level=EventLevel.MUNICIPAL, municipality=world.asino)
    url = reverse("events:teacher-options", args=[event.pk])
    page = login(asino_coordinator).get(url, {"teacher_q": "Алексеева"}).content.decode()
    assert "Алексеева" not in page
    page = login(asino_coordinator).get(url, {"teacher_q": "Васильева"}).content.decode()
    assert f'value="{world.teacher_c.pk}"' in page
    page = login(operator).get(url, {"teacher_q": "Алексеева"}).content.decode()
    assert f'value="{world.teacher_a.pk}"' in page


def test_detail_page_does_not_render_every_teacher(login, operator, world, regional):
    page = login(operator).get(regional.get_absolute_url()).content.decode()
    assert 'name="teacher_q"' in page
    assert "Борисова" not in page  # not a participant, so only a full list would show her


@pytest.mark.parametrize(
    ("fixture", "can_view", "can_change"),
    [
        ("operator", True, True),
        ("methodist", True, True),
        ("official", True, False),
        ("tomsk_district_coordinator", True, False),
        ("asino_coordinator", True, False),
        ("school_coordinator", True, False),
        ("teacher_user", True, False),
        ("other_region_operator", False, False),
    ],
)
def test_roles_on_regional_event(request, login, regional, fixture, can_view, can_change):
    client = login(request.getfixturevalue(fixture))
    detail = client.get(regional.get_absolute_url())
    assert detail.status_code == (200 if can_view else 404)
    edit = client.get(reverse("events:event-update", args=[regional.pk]))
    assert edit.status_code == (200 if can_change else 403 if can_view else 404)
    if can_view:
        assert ("Добавить участника" in detail.content.decode()) == can_change
    api = client.patch(
        reverse("api:event-detail", args=[regional.pk]),
        {"title": "Новое"},
        content_type="application/json",
    )
    assert api.status_code in ((200,) if can_change else (403, 404))


def test_api_filters_by_year_and_level(login, operator, regional, tomsk_municipal):
    client = login(operator)
    data = client.get(reverse("api:event-list"), {"year": 2023}).json()
    results = data["results"] if isinstance(data, dict) else data
    assert [row["title"] for row in results] == ["Методический день Томского района"]
    data = client.get(reverse("api:event-list"), {"level": "regional"}).json()
    results = data["results"] if isinstance(data, dict) else data
    assert [(row["title"], row["listed_count"]) for row in results] == [("Форум педагогов", 3)]


def test_api_participation_export_scope_for_tomsk_coordinator(
    login, tomsk_district_coordinator, world, regional
):
    data = login(tomsk_district_coordinator).get(reverse("api:event-participation-list")).json()
    results = data["results"] if isinstance(data, dict) else data
    names = sorted(row["participant_name"] for row in results)
    assert names == sorted([str(world.teacher_a), str(world.school_b)])


def test_asino_export_and_api_count_only_own_participants(login, asino_coordinator, regional):
    client = login(asino_coordinator)
    rows = _xlsx_rows(client.get(reverse("events:event-list"), {"export": "xlsx"}))
    assert len(rows) == 2
    assert 1 in rows[1]  # only Васильева of Асино, not the three of the whole list
    assert 3 not in rows[1]
    text = " ".join(str(cell) for row in rows for cell in row)
    assert "Алексеева" not in text and "Богашёвская" not in text
    data = client.get(reverse("api:event-detail", args=[regional.pk])).json()
    assert data["listed_count"] == 1
