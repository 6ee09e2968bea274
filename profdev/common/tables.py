"""django-tables2, made cheaper per cell.

For every cell with a `render_…`/`value_…` method (and every column's own `value`), django-tables2
asks `inspect.signature` which arguments the method takes (`utils.call_with_appropriate`). The
answer depends only on the function, yet it is computed again for each cell: exporting one
region's teacher list (14,000 rows) spent a third of its time there. `remember_signatures()`
(called once, from `CommonConfig.ready`) keeps the answer per function.
"""

import weakref
from collections.abc import Callable
from typing import Any

from django_tables2 import utils

Signature = tuple[tuple[str, ...], str | None]


def _remembered(compute: Callable[[Any], Signature]) -> Callable[[Any], Signature]:
    # A bound method is a new object at each attribute access: it is remembered by its function,
    # apart from the function itself (bound, its first argument is left out). Weak keys: a
    # function that goes (a table class made in a test) takes its answer with it.
    bound: weakref.WeakKeyDictionary[Any, Signature] = weakref.WeakKeyDictionary()
    plain: weakref.WeakKeyDictionary[Any, Signature] = weakref.WeakKeyDictionary()

    def signature(fn: Any) -> Signature:
        function = getattr(fn, "__func__", None)
        known, key = (plain, fn) if function is None else (bound, function)
        try:
            return known[key]
        except KeyError:
            answer = known[key] = compute(fn)
            return answer
        except TypeError:  # not weakly referenceable (a builtin, say): asked every time
            return compute(fn)

    signature.__wrapped__ = compute  # type: ignore[attr-defined]
    return signature


def remember_signatures() -> None:
    """Make django-tables2 compute each function's signature once (idempotent)."""
    if not hasattr(utils.signature, "__wrapped__"):
        utils.signature = _remembered(utils.signature)
