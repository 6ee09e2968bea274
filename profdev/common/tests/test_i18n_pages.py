"""An English user sees English: every main page of every role, with the demo region's data."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client

from profdev.accounts.models import User
from profdev.common.navigation import menu_for
from profdev.common.tests.i18n_helpers import database_words, untranslated, visible_text

ROLES = ["operator", "tomsk_district", "school", "teacher"]
DETAIL_LINK = re.compile(r'href="(/[a-z-]+/[a-z0-9/-]*\d+/)"')


def english_leftovers(client: Client, url: str, data: list[str]) -> tuple[str, list[str]]:
    """The page's HTML and its visible chunks still in Russian that are not data."""
    response = client.get(url, follow=True)
    if response.status_code != 200:  # the menu may offer a page the role cannot open
        return "", []
    html = response.content.decode()
    assert '<html lang="en">' in html, url
    return html, [f"{url}: {chunk}" for chunk in untranslated(visible_text(html), data)]


@pytest.mark.django_db
def test_english_user_sees_no_russian_interface_text() -> None:
    call_command("seed_demo", scale=0.03, today=datetime.date(2026, 11, 23), verbosity=0)
    data = database_words()
    leftovers: list[str] = []
    anonymous = Client()
    anonymous.cookies["django_language"] = "en"
    leftovers += english_leftovers(anonymous, "/accounts/login/", data)[1]
    # The operator sees every section; the others see theirs shaped by their scope.
    for user in User.objects.filter(username__in=ROLES).order_by("pk"):
        user.language = "en"
        user.save(update_fields=["language"])
        client = Client()
        client.force_login(user)
        pages = ["/"] + [item["url"] for item in menu_for(user.role)]
        seen: set[str] = set()
        for url in pages:
            html, found = english_leftovers(client, url, data)
            leftovers += found
            for link in DETAIL_LINK.findall(html)[:2]:
                if link not in seen and link.split("/")[1] == url.split("/")[1]:
                    seen.add(link)
                    leftovers += english_leftovers(client, link, data)[1]
    assert not leftovers, "\n".join(sorted(set(leftovers)))
