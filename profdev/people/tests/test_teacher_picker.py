"""Teachers chosen by searching (`TeacherPicker`), not from a list of the whole scope."""

import re
from typing import Any

import pytest
from django.urls import reverse

from profdev.common.tests.factories import teacher_at
from profdev.mentorship.models import MentorPair
from profdev.mentorship.tests.factories import form

pytestmark = pytest.mark.django_db
PICKER = reverse("people:teacher-picker")


def pick(client: Any, query: str, *picked: int | str, multiple: bool = True) -> str:
    response = client.post(
        PICKER,
        {
            "picker_name": "mentees",
            "picker_id": "id_mentees",
            "picker_multiple": "1" if multiple else "",
            "mentees__q": query,
            "mentees": [str(pk) for pk in picked],
        },
    )
    assert response.status_code == 200
    return response.content.decode()


def checked(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'value="(\d+)"[^>]*checked', html)}


def offered(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'value="(\d+)"', html)}


def test_the_pair_form_lists_no_teacher_until_searched(world: Any, login: Any, operator: Any):
    for n in range(30):
        teacher_at(world.school_b, last_name=f"Педагогова{n}")
    page = login(operator).get(reverse("mentorship:pair-create")).content.decode()
    assert "Педагогова" not in page and world.teacher_a.full_name not in page
    assert 'name="mentees__q"' in page and 'name="mentor__q"' in page
    assert 'type="search"' in page


def test_the_search_offers_teachers_of_the_scope_and_keeps_the_chosen(
    world: Any, login: Any, operator: Any, school_coordinator: Any
):
    namesakes = [teacher_at(world.school_b, last_name=f"Петрова{n}") for n in range(25)]
    far = teacher_at(world.school_d, last_name="Петрова-Новосибирская")  # another region
    client = login(operator)
    html = pick(client, "петрова")
    assert len(offered(html)) == 20 and "первые 20" in html  # a short list, not the scope
    assert far.pk not in offered(html) and not checked(html)
    html = pick(client, "Петрова3", namesakes[0].pk)
    assert checked(html) == {namesakes[0].pk}  # the chosen stays, checked, first
    assert offered(html) == {namesakes[0].pk, namesakes[3].pk}
    assert 'type="checkbox"' in html
    assert 'type="radio"' in pick(client, "Петрова1", multiple=False)
    # a key from outside the scope is not named, and nothing matches an empty search
    html = pick(client, "", far.pk)
    assert far.full_name not in html and not offered(html)
    assert "Начните вводить" in html
    # a school coordinator finds only the school's teachers
    html = pick(login(school_coordinator), "петрова")
    assert not offered(html) and "Никого не найдено" in html
    assert client.post(PICKER, {"picker_name": "x y", "picker_id": "id"}).status_code == 400


def test_a_pair_is_created_with_searched_teachers_and_a_foreign_one_is_refused(
    world: Any, login: Any, school_coordinator: Any
):
    mentee = teacher_at(world.school_a, last_name="Наставляемая")
    client = login(school_coordinator)
    data = {
        "organization": world.school_a.pk,
        "mentor": world.teacher_a.pk,
        "mentees": [mentee.pk, world.teacher_d.pk],
        "form": form().pk,
        "start_date": "2025-09-01",
        "planned_end": "2026-05-01",
    }
    page = client.post(reverse("mentorship:pair-create"), data)
    assert page.status_code == 200 and not MentorPair.objects.exists()
    text = page.content.decode()
    assert world.teacher_d.full_name not in text  # refused, and not named
    assert re.search(rf'value="{mentee.pk}"[^>]*checked', text)  # the valid choice is kept
    # malformed keys: the form says which value is wrong, the picker ignores them
    for bad, message in (
        ("abc", "является неверным значением"),
        (f"{mentee.pk}' OR 1=1", "является неверным значением"),
        ("-1", "Выберите корректный вариант"),
    ):
        page = client.post(reverse("mentorship:pair-create"), {**data, "mentees": [bad]})
        assert page.status_code == 200 and message in page.content.decode()
        assert message in str(page.context["form"].errors["mentees"])
    assert not MentorPair.objects.exists()
    assert not offered(pick(client, "", "abc", "-1"))
    data["mentees"] = [mentee.pk, mentee.pk]  # twice: one mentee
    assert client.post(reverse("mentorship:pair-create"), data).status_code == 302
    pair = MentorPair.objects.get()
    assert pair.mentor == world.teacher_a and list(pair.mentees.all()) == [mentee]


def test_the_management_form_searches_its_teams(world: Any, login: Any, operator: Any):
    page = login(operator).get(reverse("mentorship:management-create")).content.decode()
    assert 'name="mentor_people__q"' in page and 'name="mentee_people__q"' in page
    assert world.teacher_a.full_name not in page
