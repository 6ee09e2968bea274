"""One journey per role in Chromium, with screenshots and an axe scan of every key page.

The server is a real `runserver` over a small seeded demo region (see `browser.py`); each
journey logs in as that role's demo user and does the work the way a person does it.
"""

import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from profdev.common.tests.browser import ARTIFACTS, REPO, check_page, login, screenshot

pytestmark = pytest.mark.browser

ROSTER = REPO / "profdev" / "imports" / "tests" / "samples" / "roster.xlsx"


def _roster_for(school_name: str, district_name: str, folder: Path) -> Path:
    """The sample roster as the demo school would send it: same rows, its own name in them."""
    workbook = openpyxl.load_workbook(ROSTER)
    sheet = workbook.active
    assert sheet is not None
    sheet["A2"] = district_name
    for row in sheet.iter_rows(min_row=5):
        if row[7].value:
            row[7].value = school_name
    path = folder / "roster.xlsx"
    workbook.save(path)
    return path


def _download(page, click) -> Path:
    with page.expect_download() as info:
        click()
    download = info.value
    path = ARTIFACTS / "downloads" / download.suggested_filename
    path.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(path)
    assert path.stat().st_size > 0
    return path


def test_official_reads_a_past_year_and_downloads_a_drill_down(page, app_server):
    login(page, app_server, "official")
    check_page(page, "10-official-home")

    page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Показатели"
    ).click()
    past_year = app_server.facts["year"] - 1
    page.get_by_label("Год").fill(str(past_year))
    page.get_by_role("button", name="Показать").click()
    expect(page).to_have_url(re.compile(rf"year={past_year}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Показатели")
    # The charts are drawn (by a /static/ script the CSP allows).
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-1')")
    check_page(page, "11-official-dashboard-past-year")

    page.get_by_role("link", name="Кого учитывает").first.click()
    expect(page).to_have_url(re.compile(r"/indicators/1/list/.*year=" + str(past_year)))
    expect(page.get_by_text(f"Год {past_year}")).to_be_visible()
    check_page(page, "12-official-drill-down")

    path = _download(page, page.get_by_role("link", name="Выгрузить в XLSX").click)
    assert path.suffix == ".xlsx"
    assert path.read_bytes()[:2] == b"PK"  # an XLSX is a zip


def test_municipal_coordinator_sees_the_district_and_returns_a_report(page, app_server):
    facts = app_server.facts
    login(page, app_server, "tomsk_district")
    expect(page.get_by_text(facts["district_name"]).first).to_be_visible()
    check_page(page, "20-municipal-home")

    # The teacher list holds only the district: its municipality filter offers nothing else.
    page.goto(app_server.url("/people/teachers/"))
    municipalities = page.get_by_label("Муниципалитет").locator("option").all_inner_texts()
    assert [m for m in municipalities if m.strip("- ")] == [facts["district_name"]]
    check_page(page, "21-municipal-teachers")

    # A young specialist without a mentor, from the mentorship overview.
    page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Наставничество", exact=True
    ).click()
    section = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("без наставника"))
    )
    young = section.get_by_role("listitem").first.get_by_role("link").first
    name = young.inner_text()
    check_page(page, "22-municipal-mentorship")
    young.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    check_page(page, "23-municipal-young-specialist")

    # Review a school's submitted report and return it with a comment.
    page.goto(app_server.url(f"/roadmap/reports/{facts['district_report']}/"))
    expect(page.get_by_text("Отправлен на проверку").first).to_be_visible()
    check_page(page, "24-municipal-report-review")
    page.get_by_label("Комментарий").fill("Приложите приказ о закреплении наставников.")
    page.get_by_role("button", name="Вернуть").click()
    assert page.dialogs, "returning a report asks for confirmation"
    expect(page.get_by_text("Возвращён на доработку").first).to_be_visible()
    expect(page.get_by_text("Приложите приказ о закреплении наставников.").first).to_be_visible()
    screenshot(page, "25-municipal-report-returned")


def test_school_coordinator_adds_a_teacher_imports_a_roster_and_submits(page, app_server, tmp_path):
    facts = app_server.facts
    login(page, app_server, "school")
    check_page(page, "30-school-home")

    # A teacher with a wrong SNILS first: the message says what is wrong, the typing stays.
    page.goto(app_server.url("/people/teachers/"))
    check_page(page, "31-school-teachers")
    page.get_by_role("link", name="Добавить").click()
    page.get_by_label("Фамилия").fill("Берёзкина")
    page.locator("#id_first_name").fill("Ольга")
    page.get_by_label("Отчество").fill("Игоревна")
    page.get_by_label("СНИЛС").fill("123-456-789 00")
    page.get_by_role("button", name="Сохранить").click()
    error = page.locator(".invalid-feedback").first
    expect(error).to_contain_text("СНИЛС")
    expect(page.get_by_label("Фамилия")).to_have_value("Берёзкина")
    check_page(page, "32-school-teacher-form-error")
    page.get_by_label("СНИЛС").fill("112-233-445 95")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Берёзкина Ольга Игоревна")
    check_page(page, "33-school-teacher-page")

    # A roster file: first only checked, the preview tells what would happen.
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Импорт").click()
    check_page(page, "34-school-import")
    roster = _roster_for(facts["school_name"], facts["district_name"], tmp_path)
    page.locator("#id_file").set_input_files(str(roster))
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.get_by_text("Это проверка: ничего не сохранено.")).to_be_visible(timeout=30_000)
    # The sample roster has four wrong rows (see /work/shared/samples/README.md).
    expect(page.locator("tr", has_text="Отклонено").locator("td")).to_have_text("4")
    expect(page.locator("tr", has_text="Будет создано").locator("td")).to_have_text("36")
    expect(page.get_by_role("heading", name=re.compile("Отклонённые строки"))).to_be_visible()
    check_page(page, "35-school-import-preview")

    # The school's report: submitting with empty required activities is refused with the list,
    # then the activities are filled and the report goes to the municipality.
    page.goto(app_server.url(f"/roadmap/reports/{facts['school_report']}/"))
    check_page(page, "36-school-report")
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_role("alert").first).to_contain_text("Не заполнены обязательные")
    required = page.locator("div.card", has=page.locator("span[title='обязательно']"))
    for index in range(required.count()):
        card = page.locator("div.card", has=page.locator("span[title='обязательно']")).nth(index)
        if card.locator("select").count() == 0:
            continue
        card.locator("select").first.select_option("done")
        card.get_by_role("button", name="Сохранить").click()
        expect(page.get_by_role("alert").first).to_contain_text("сохранено")
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_text("Отправлен на проверку").first).to_be_visible()
    screenshot(page, "37-school-report-submitted")


def test_school_coordinator_forms_a_mentor_pair_by_searching(page, app_server):
    """The mentor and the mentees are found by typing, not picked from the whole list; the
    ones already chosen stay chosen when the search changes."""
    login(page, app_server, "school")
    page.goto(app_server.url("/mentorship/pairs/new/"))
    expect(page.locator("#id_mentor_choices")).to_contain_text("Начните вводить")
    mentor_search, mentee_search = page.get_by_label("Наставник"), page.get_by_label("Наставляемые")
    mentor_search.fill("а")
    mentor = page.locator("#id_mentor_choices .form-check").first
    expect(mentor).to_be_visible()
    mentor_name = mentor.inner_text().strip()
    mentor.locator("input").check()
    mentee_search.fill("е")
    expect(page.locator("#id_mentees_choices .form-check").first).to_be_visible()
    mentee = page.locator("#id_mentees_choices .form-check").filter(has_not_text=mentor_name).first
    mentee_name = mentee.inner_text().strip()
    mentee.locator("input").check()
    check_page(page, "38-school-pair-form")
    mentee_search.fill("о")  # another search: the chosen mentee stays, checked, first
    expect(page.locator("#id_mentees_choices input:checked")).to_have_count(1)
    expect(page.locator("#id_mentees_choices .form-check").first).to_have_text(mentee_name)
    page.locator("select[name=form]").select_option(index=1)
    page.locator("input[name=planned_end]").fill("2027-05-31")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Пара создана.").first).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(mentor_name)
    expect(page.get_by_role("main")).to_contain_text(mentee_name)
    screenshot(page, "39-school-pair-created")


def test_methodist_records_a_diagnostic_and_approves_a_route(page, app_server):
    facts = app_server.facts
    login(page, app_server, "methodist")
    check_page(page, "40-methodist-home")

    page.goto(app_server.url("/people/teachers/"))
    page.get_by_label("ФИО или СНИЛС").fill(facts["teacher_name"].split()[0])
    page.get_by_role("button", name="Найти").click()
    page.get_by_role("link", name=facts["teacher_name"]).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(facts["teacher_name"])
    check_page(page, "41-methodist-teacher-page")

    # A diagnostic with low scores in two areas: those become the deficits.
    page.get_by_role("link", name="Провести диагностику").click()
    check_page(page, "42-methodist-diagnostic-form")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Укажите баллы хотя бы по одной области").first).to_be_visible()
    page.get_by_label("Инструмент диагностики").fill("Анкета самооценки ЦНППМ")
    scores = page.locator("input[name^='area_']")
    for index in range(scores.count()):
        scores.nth(index).fill("30" if index < 2 else "90")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    screenshot(page, "43-methodist-diagnostic-saved")

    # A route from the proposed courses, then approved.
    page.goto(app_server.url(f"/people/teachers/{facts['teacher_id']}/"))
    page.get_by_role("link", name="Построить маршрут").click()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Маршрут создан").first).to_be_visible()
    proposals = page.get_by_role("button", name="Добавить выбранные в маршрут")
    expect(proposals).to_be_visible()
    check_page(page, "44-methodist-route-draft")
    proposals.click()
    expect(page.get_by_text(re.compile(r"Добавлено шагов: [1-9]")).first).to_be_visible()
    page.get_by_role("button", name="Перевести в «Утверждён»").click()
    expect(page.get_by_text("Статус маршрута изменён.").first).to_be_visible()
    expect(page.locator(".badge", has_text="Утверждён").first).to_be_visible()
    check_page(page, "45-methodist-route-approved")


def test_operator_sets_a_target_opens_a_campaign_and_downloads_the_report(page, app_server):
    year = app_server.facts["year"]
    login(page, app_server, "operator")
    check_page(page, "50-operator-home")

    # A target for an indicator two years ahead.
    page.goto(app_server.url("/indicators/targets/"))
    check_page(page, "51-operator-targets")
    page.get_by_role("link", name="Добавить").click()
    page.get_by_label("Показатель").select_option(index=1)
    page.get_by_label("Год").fill(str(year + 2))
    page.get_by_label("Значение").fill("20")
    check_page(page, "52-operator-target-form")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    screenshot(page, "53-operator-target-saved")

    # A monitoring campaign for the first half of next year.
    page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Мониторинг"
    ).click()
    check_page(page, "54-operator-roadmap")
    page.get_by_role("link", name="Открыть кампанию").click()
    page.get_by_label("Программа").select_option(index=1)
    page.get_by_label("Год").fill(str(year + 1))
    page.get_by_label("Период").select_option("1")
    page.get_by_label("Срок сдачи отчётов").fill(f"{year + 1}-07-15")
    page.get_by_role("button", name=re.compile("Открыть|Сохранить")).click()
    expect(page.get_by_text("Кампания открыта").first).to_be_visible()
    check_page(page, "55-operator-campaign")

    # Closing a campaign asks first; saying "no" leaves it open.
    page.dialog_answer = False
    page.get_by_role("button", name="Закрыть кампанию").click()
    assert page.dialogs and page.dialogs[-1].startswith("Вы уверены?")
    expect(page.get_by_role("button", name="Закрыть кампанию")).to_be_enabled()
    page.dialog_answer = True

    # The campaign's figures as a file.
    path = _download(page, page.get_by_role("link", name="Выгрузить в XLSX").first.click)
    assert path.read_bytes()[:2] == b"PK"

    # The analytical report: generated in the background, then downloaded as DOCX and PDF.
    page.get_by_role("link", name="Аналитический отчёт").click()
    page.get_by_role("button", name="Сформировать отчёт").click()
    expect(page.get_by_text("Отчёт сформирован").first).to_be_visible(timeout=60_000)
    check_page(page, "56-operator-analytical-report")
    docx = _download(page, page.get_by_role("link", name="Скачать DOCX").first.click)
    assert docx.read_bytes()[:2] == b"PK"
    pdf = _download(page, page.get_by_role("link", name="Скачать PDF").first.click)
    assert pdf.read_bytes()[:5] == b"%PDF-"

    # A new account: a municipal coordinator bound to a district of the region.
    page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Пользователи"
    ).click()
    check_page(page, "57-operator-users")
    page.get_by_role("link", name="Добавить").click()
    page.get_by_label("Логин").fill("new_district_coordinator")
    page.get_by_label("Фамилия").fill("Новикова")
    page.locator("#id_first_name").fill("Нина")
    page.get_by_label("Роль *", exact=True).select_option("municipal")
    page.get_by_label("Муниципалитет (для координатора МОУО)").select_option(index=1)
    page.get_by_role("textbox", name="Временный пароль").fill("Кедровый-орех-2026")
    page.get_by_role("textbox", name="Пароль ещё раз").fill("Кедровый-орех-2026")
    check_page(page, "58-operator-user-form")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Учётная запись создана").first).to_be_visible()
    expect(page.get_by_text("Координатор МОУО").first).to_be_visible()
    screenshot(page, "59-operator-user-created")


def test_a_list_searches_sorts_pages_and_exports_what_it_shows(page, app_server):
    login(page, app_server, "official")
    page.goto(app_server.url("/people/teachers/"))
    counter = page.get_by_text(re.compile(r"^Найдено: "))
    everyone = counter.inner_text()

    # Typing filters the table in place (htmx), and the address keeps the query.
    page.get_by_label("ФИО или СНИЛС").press_sequentially("ова", delay=30)
    expect(page).to_have_url(re.compile(r"q=%D0%BE%D0%B2%D0%B0"))
    expect(counter).not_to_have_text(everyone)
    found = int(re.sub(r"\D", "", counter.inner_text()))
    assert found > 25, "the search should still need more than one page"

    # Sorting by a column, both ways, keeps the search.
    page.locator("thead").get_by_role("link", name="ФИО").click()
    expect(page).to_have_url(re.compile(r"sort="))
    expect(page).to_have_url(re.compile(r"q=%D0%BE%D0%B2%D0%B0"))
    first_ascending = page.locator("tbody tr").first.inner_text()
    page.locator("thead").get_by_role("link", name="ФИО").click()
    expect(page.locator("tbody tr").first).not_to_have_text(first_ascending)

    # The next page keeps both.
    page.get_by_role("link", name=re.compile("следующая")).click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page).to_have_url(re.compile(r"sort=-"))
    screenshot(page, "80-list-search-sort-page")

    # The export holds exactly the filtered rows, all pages of them.
    path = _download(page, page.get_by_role("link", name="Выгрузить в XLSX").click)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    assert len(rows) == found
