"""Keys of the shared cache (Redis) for values computed from one database."""

import hashlib
from typing import Any

from django.db import connection


def database_key(namespace: str, *parts: Any) -> str:
    """`namespace:` and a digest of `parts` and the database they were read from: two databases
    (a test run, a copy of the country) may share one Redis."""
    database = connection.settings_dict
    where = (database.get("HOST"), database.get("PORT"), str(database.get("NAME")))
    digest = hashlib.sha1(repr((*where, *parts)).encode(), usedforsecurity=False).hexdigest()
    return f"{namespace}:{digest}"
