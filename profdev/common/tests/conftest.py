"""Fixtures of the browser journeys (used only by tests marked `browser`)."""

from collections.abc import Iterator
from typing import Any

import pytest

from profdev.common.tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    Server,
    start_server,
    stop_server,
)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(tmp_path_factory.mktemp("browser"))
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium: Any, app_server: Server) -> Iterator[Any]:
    context = chromium.new_context(
        base_url=app_server.base_url,
        viewport=DESKTOP,
        locale="ru-RU",
        timezone_id="Asia/Tomsk",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: Any) -> Any:
    page = browser_context.new_page()
    # Journeys answer "yes" to every "are you sure?" unless a test sets `page.dialog_answer`;
    # the questions are kept in `page.dialogs` for the tests to read.
    page.dialogs = []
    page.dialog_answer = True

    def answer(dialog: Any) -> None:
        page.dialogs.append(dialog.message)
        if page.dialog_answer:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    # Script errors and CSP refusals are failures of the page: check_page asserts there are none.
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page
