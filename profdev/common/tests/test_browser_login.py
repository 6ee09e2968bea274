"""Bad input in a real browser: wrong password, an expired session, a form error keeps what was typed."""

import re

import pytest
from playwright.sync_api import expect

from profdev.common.tests.browser import PHONE, axe_violations, check_page, login, screenshot

pytestmark = pytest.mark.browser


def test_login_page_is_accessible_and_wrong_password_does_not_say_which_part(page, app_server):
    page.goto(app_server.url("/"))
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    check_page(page, "00-login")

    page.get_by_label("Имя пользователя").fill("official")
    page.get_by_label("Пароль").fill("not-the-password")
    page.get_by_role("button", name="Войти").click()
    wrong_password = page.get_by_role("alert").inner_text()
    # The name the person typed stays in the field; the password does not.
    expect(page.get_by_label("Имя пользователя")).to_have_value("official")
    expect(page.get_by_label("Пароль")).to_have_value("")

    page.get_by_label("Имя пользователя").fill("nobody-with-this-name")
    page.get_by_label("Пароль").fill("not-the-password")
    page.get_by_role("button", name="Войти").click()
    unknown_user = page.get_by_role("alert").inner_text()

    assert wrong_password == unknown_user == "Неверное имя пользователя или пароль."
    check_page(page, "00-login-error")


def test_expired_session_returns_to_login_and_back_to_the_page(page, app_server):
    login(page, app_server, "methodist")
    page.goto(app_server.url("/people/teachers/?q=%D0%90"))
    expect(page.get_by_role("heading", name="Педагоги")).to_be_visible()

    # The server forgets every session, as when a session expires.
    app_server.run_python(
        "from django.contrib.sessions.models import Session; Session.objects.all().delete()"
    )
    page.reload()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_text("Войдите, чтобы открыть запрошенную страницу.")).to_be_visible()
    page.get_by_label("Имя пользователя").fill("methodist")
    page.get_by_label("Пароль").fill(app_server.passwords["methodist"])
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/people/teachers/\?q=%D0%90$"))
    expect(page.get_by_role("heading", name="Педагоги")).to_be_visible()


def test_form_error_keeps_what_was_typed(page, app_server):
    login(page, app_server, "school")
    page.goto(app_server.url("/people/teachers/new/"))
    page.get_by_label("Фамилия").fill("Кузнецова")
    page.locator("#id_first_name").fill("Мария")
    page.get_by_label("СНИЛС").fill("123-456-789 00")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.get_by_label("Фамилия")).to_have_value("Кузнецова")
    expect(page.locator("#id_first_name")).to_have_value("Мария")
    expect(page.get_by_label("СНИЛС")).to_have_value("123-456-789 00")


def test_phone_width_pages_read_well(chromium, app_server):
    context = chromium.new_context(base_url=app_server.base_url, viewport=PHONE, locale="ru-RU")
    page = context.new_page()
    try:
        page.goto(app_server.url("/accounts/login/"))
        screenshot(page, "90-phone-login")
        login(page, app_server, "tomsk_district")
        for name, path in [
            ("91-phone-home", "/"),
            ("92-phone-teachers", "/people/teachers/"),
            ("94-phone-dashboard", "/indicators/"),
        ]:
            page.goto(app_server.url(path))
            screenshot(page, name)
            # Nothing sticks out sideways: the page is as wide as the phone.
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width}px wide on a 390px phone"
        # The menu is behind the toggler and opens from the keyboard.
        toggler = page.get_by_role("button", name="Показать меню")
        toggler.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("link", name="Педагоги")).to_be_visible()
        screenshot(page, "93-phone-menu", full_page=False)
    finally:
        context.close()


def test_teacher_home_and_profile_and_keyboard_access(page, app_server):
    login(page, app_server, "teacher")
    check_page(page, "60-teacher-home")
    # The first Tab lands on "skip to content", and Enter moves on to the page's main part.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к содержимому")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    # The menu is reachable and usable from the keyboard alone.
    profile = page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Мой профиль"
    )
    profile.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "61-teacher-profile")


# The operator's menu holds every section; the other roles' pages are scanned in their journeys.
@pytest.mark.parametrize("username", ["operator"])
def test_every_menu_page_passes_the_accessibility_scan(page, app_server, username):
    login(page, app_server, username)
    menu = page.get_by_role("navigation", name="Главное меню").locator(".navbar-nav a.nav-link")
    entries = [(a.inner_text().strip(), a.get_attribute("href")) for a in menu.all()]
    assert len(entries) >= 5
    failures = {}
    for index, (label, href) in enumerate(entries):
        response = page.goto(app_server.url(href))
        assert response is not None and response.ok, f"menu entry {label} answers {response}"
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        name = f"7{'0' if username == 'operator' else '5'}-{username}-menu-{index:02d}"
        screenshot(page, name)
        blocking = axe_violations(page, name)
        if blocking:
            failures[label] = blocking
    assert not failures, failures
