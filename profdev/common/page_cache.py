"""Whole pages rendered once per process for a user and the state of what they show.

A page that can name everything its content depends on (the change stamps of its data, the
user's scope) is rendered once per key and then served from memory. The request still passes
the whole middleware stack (login, session limits, SNILS guard) and the view still reads the
stamps, but the page's other queries and its templates are skipped (decision 0009).

The key holds the address with its query, the user and what the page shell shows of them
(name, role), the language, today's date and the view's state. The one per-request part of a
page is the CSRF token: it is rendered as a placeholder (`csrf_placeholder`, a context
processor) and the user's own token is put in on every response. Pages with messages waiting,
htmx fragments and anything but a 200 are never stored.
"""

import secrets
from collections.abc import Callable, Hashable

from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.translation import get_language

from profdev.common.process_cache import ProcessCache

# Unguessable, so no data shown on a page can contain it.
PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"
# Pages as sent (UTF-8): 20–70 KB each for the country's lists and dashboards, so at most about
# 35 MB per process.
PAGES: ProcessCache[bytes] = ProcessCache(512)
_RENDERING = "_page_cache_rendering"


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: the placeholder instead of the token while a page is rendered to be
    stored (listed after Django's own csrf processor, so it wins)."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, _RENDERING, False) else {}


def page_key(request: HttpRequest, state: Hashable) -> Hashable:
    user = request.user
    return (
        str(connection.settings_dict.get("NAME")),
        request.get_full_path(),
        user.pk,
        user.get_full_name(),  # type: ignore[union-attr]
        user.get_username(),
        getattr(user, "role", ""),
        get_language(),
        timezone.localdate(),
        state,
    )


def cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and request.user.is_authenticated
        and not getattr(request, "htmx", False)
        and len(get_messages(request)) == 0
    )


def serve(
    request: HttpRequest, state: Hashable | None, respond: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """The page for `state` from memory, or `respond()` rendered, stored and returned.

    `state` is everything the page shows besides the key's own parts, read before the data it
    keys (so a page is never stored under stamps newer than its content); None: no caching.
    """
    if state is None or not cacheable(request):
        return respond()
    key = page_key(request, state)
    page = PAGES.get(key)
    if page is not None:
        return HttpResponse(_with_token(page, request))
    setattr(request, _RENDERING, True)
    try:
        response = respond()
        if isinstance(response, SimpleTemplateResponse):
            response.render()
    finally:
        setattr(request, _RENDERING, False)
    if isinstance(response, HttpResponse):
        page = response.content
        if (
            response.status_code == 200
            and response.charset.lower() == "utf-8"
            and not response.has_header("HX-Push-Url")
        ):
            PAGES.put(key, page)
        response.content = _with_token(page, request)
    return response


def _with_token(page: bytes, request: HttpRequest) -> bytes:
    return page.replace(PLACEHOLDER.encode(), get_token(request).encode())
