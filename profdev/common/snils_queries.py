"""A SNILS never travels in a URL: query values holding one are swapped for session tokens.

Pages: list filter forms are posted (`ScopedListView.post`), and the address the browser shows,
the htmx `HX-Push-Url`, pagination, sorting and export links carry `snils-<token>` instead of
the number; the token is resolved from the session when the filter runs. A URL typed with a
SNILS is redirected to its tokenized form (`SnilsInUrlMiddleware`). A token is short-lived and
means nothing in another session. The API refuses a SNILS in a query string (400) and offers
`POST /api/v1/teachers/lookup/` instead.
"""

import secrets
import time
from typing import Any

from django.http import HttpRequest, QueryDict

from profdev.common.identifiers import contains_snils

SESSION_KEY = "_profdev_snils_queries"
TOKEN_PREFIX = "snils-"
TOKEN_LIFETIME = 30 * 60  # seconds
MAX_TOKENS = 20


def has_snils(query: QueryDict) -> bool:
    """Whether any value of the query (or a key) looks like a SNILS."""
    return any(
        contains_snils(key) or any(contains_snils(value) for value in values)
        for key, values in query.lists()
    )


def _store(request: HttpRequest) -> dict[str, list[Any]]:
    now = time.time()
    stored = request.session.get(SESSION_KEY, {})
    return {
        token: entry
        for token, entry in stored.items()
        if isinstance(entry, list) and len(entry) == 2 and now - entry[1] < TOKEN_LIFETIME
    }


def protect(request: HttpRequest, query: QueryDict) -> QueryDict:
    """A copy of `query` where every value holding a SNILS is replaced by a session token."""
    if not has_snils(query):
        return query
    stored = _store(request)
    known = {entry[0]: token for token, entry in stored.items()}
    result = QueryDict(mutable=True)
    for key, values in query.lists():
        if contains_snils(key):
            continue  # a SNILS as a parameter name: drop it
        kept = []
        for value in values:
            if contains_snils(value):
                token = known.get(value) or TOKEN_PREFIX + secrets.token_urlsafe(6)
                stored[token] = [value, time.time()]
                known[value] = token
                value = token
            kept.append(value)
        result.setlist(key, kept)
    newest = sorted(stored.items(), key=lambda item: item[1][1])[-MAX_TOKENS:]
    request.session[SESSION_KEY] = dict(newest)
    return result


def resolve(request: HttpRequest, query: QueryDict) -> QueryDict:
    """A copy of `query` with this session's tokens replaced by what was typed.

    An unknown or expired token stays as it is (a search for it finds nothing).
    """
    if not any(v.startswith(TOKEN_PREFIX) for _k, vs in query.lists() for v in vs):
        return query
    stored = _store(request) if hasattr(request, "session") else {}
    result = QueryDict(mutable=True)
    for key, values in query.lists():
        result.setlist(key, [stored[v][0] if v in stored else v for v in values])
    return result
