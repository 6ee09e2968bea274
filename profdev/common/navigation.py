"""The main menu: one list of entries, each shown to the roles that use it."""

import functools
from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from profdev.accounts.choices import Role

ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.OFFICIAL, Role.OPERATOR, Role.METHODIST, Role.MUNICIPAL, Role.SCHOOL})
# The indicators are figures of the region and of a municipality: a school has none of its own.
INDICATOR_ROLES = frozenset({Role.OFFICIAL, Role.OPERATOR, Role.METHODIST, Role.MUNICIPAL})


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str
    roles: frozenset[str]


# Apps add their entries here; an entry whose URL is not routed yet is simply not shown.
MENU: list[MenuEntry] = [
    MenuEntry(_("Показатели"), "indicators:dashboard", INDICATOR_ROLES),
    MenuEntry(
        _("Муниципалитеты"),
        "orgs:municipality-list",
        frozenset({Role.OFFICIAL, Role.OPERATOR, Role.METHODIST}),
    ),
    MenuEntry(_("Организации"), "orgs:organization-list", STAFF_ROLES),
    MenuEntry(_("Педагоги"), "people:teacher-list", STAFF_ROLES),
    MenuEntry(
        _("Сотрудники ЦНППМ"),
        "people:staff-list",
        frozenset({Role.OFFICIAL, Role.OPERATOR, Role.METHODIST}),
    ),
    MenuEntry(_("Диагностика и ИОМ"), "learning:index", STAFF_ROLES),
    MenuEntry(_("Курсы"), "learning:program-list", STAFF_ROLES),
    MenuEntry(_("Мероприятия"), "events:event-list", STAFF_ROLES),
    MenuEntry(_("Наставничество"), "mentorship:index", STAFF_ROLES),
    MenuEntry(_("Мониторинг"), "roadmap:index", STAFF_ROLES),
    MenuEntry(
        _("Импорт"), "imports:index", frozenset({Role.OPERATOR, Role.MUNICIPAL, Role.SCHOOL})
    ),
    MenuEntry(_("Пользователи"), "accounts:user-list", frozenset({Role.OPERATOR})),
    MenuEntry(_("Журнал изменений"), "accounts:audit", frozenset({Role.OPERATOR})),
    MenuEntry(_("Мой профиль"), "people:my-profile", frozenset({Role.TEACHER})),
]


def menu_for(role: str | None) -> list[dict[str, str]]:
    """The menu entries a role sees, with their URLs resolved (on every page: built once per
    role, language and URL prefix in each process; MENU is filled when the apps load)."""
    key = (get_language(), get_script_prefix(), get_urlconf(), len(MENU))
    return [dict(item) for item in _menu(role, *key)]


@functools.lru_cache(maxsize=64)
def _menu(role: str | None, *key: object) -> list[dict[str, str]]:
    items = []
    for entry in MENU:
        if role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": str(entry.label), "url": url, "name": entry.url_name})
    return items
