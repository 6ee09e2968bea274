"""The shared layout: breadcrumbs by the tree, empty states, counts with plurals, confirmations."""

import pytest

from profdev.common.breadcrumbs import tree_breadcrumbs

pytestmark = pytest.mark.django_db


def test_breadcrumbs_follow_the_tree_and_link_only_what_the_user_may_open(
    world, methodist, school_coordinator
):
    crumbs = tree_breadcrumbs(world.teacher_a, methodist)
    labels = [c["label"] for c in crumbs]
    assert labels == [
        str(world.tomsk),
        str(world.tomsk_district),
        str(world.school_a),
        str(world.teacher_a),
    ]
    assert crumbs[1]["url"] and crumbs[2]["url"]
    assert crumbs[-1]["url"] is None  # the current page

    # A school coordinator sees their school but not the municipality's page.
    crumbs = tree_breadcrumbs(world.teacher_a, school_coordinator)
    assert crumbs[1]["label"] == str(world.tomsk_district)
    assert crumbs[1]["url"] is None
    assert crumbs[2]["url"] == world.school_a.get_absolute_url()


def test_organization_page_shows_breadcrumbs(login, methodist, world):
    response = login(methodist).get(world.school_a.get_absolute_url())
    html = response.content.decode()
    assert 'aria-label="Навигационная цепочка"' in html
    assert world.tomsk_district.name in html


def test_list_counts_records_with_russian_plural(login, methodist, world):
    html = login(methodist).get("/people/teachers/").content.decode()
    count = html.split("Найдено: ", 1)[1].split("<", 1)[0]
    number, word = count.split(" ", 1)
    expected = {1: "запись", 2: "записи", 3: "записи", 4: "записи"}.get(int(number), "записей")
    assert word == expected


def test_empty_list_says_what_to_do(login, methodist, world):
    client = login(methodist)
    html = client.get("/people/teachers/?q=Несуществующая-фамилия").content.decode()
    assert "Ничего не найдено по этим условиям." in html
    assert "сбросьте фильтры" in html


def test_base_layout_carries_the_default_confirmation_and_landmarks(login, methodist):
    html = login(methodist).get("/").content.decode()
    assert 'data-confirm-default="Вы уверены?' in html
    assert '<main id="main"' in html
    assert 'aria-label="Главное меню"' in html
    assert "Перейти к содержимому" in html


def test_form_errors_are_summarised_and_tied_to_their_fields(login, school_coordinator, world):
    response = login(school_coordinator).post(
        "/people/teachers/new/", {"last_name": "Кузнецова", "snils": "123-456-789 00"}
    )
    html = response.content.decode()
    assert "Проверьте поля, отмеченные красным:" in html
    assert 'id="id_snils_error"' in html
    snils_input = html.split('name="snils"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in snils_input
    assert "id_snils_error" in snils_input
    assert "is-invalid" in snils_input
    assert 'value="Кузнецова"' in html


def test_empty_section_says_how_records_appear(login, school_coordinator, world):
    html = login(school_coordinator).get("/learning/diagnostics/").content.decode()
    assert "Здесь пока нет записей." in html
    assert "Измените условия поиска" not in html


def test_menu_offers_only_pages_the_role_may_open(login, school_coordinator, methodist):
    from profdev.common.navigation import menu_for

    school_pages = [item["url"] for item in menu_for(school_coordinator.role)]
    assert "/indicators/" not in school_pages
    client = login(school_coordinator)
    for url in school_pages:
        assert client.get(url, follow=True).status_code == 200, url
    assert "/indicators/" in [item["url"] for item in menu_for(methodist.role)]


def test_forbidden_page_keeps_the_layout_and_explains(login, school_coordinator):
    response = login(school_coordinator).get("/indicators/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Нет доступа к этой странице" in html
    assert "Показатели доступны региону и муниципалитетам." in html
    assert 'aria-label="Главное меню"' in html


def test_not_found_page_keeps_the_layout(login, school_coordinator):
    response = login(school_coordinator).get("/people/teachers/999999999/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
