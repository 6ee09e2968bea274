"""Import kinds: each knows its columns, how to check a row and how to write the valid ones.

Other apps add their kinds (enrollments, event participants, mentor pairs) from their
AppConfig.ready() with `profdev.imports.kinds.register(SomeKind())`.
"""

from profdev.imports.kinds.base import ImportKind, get_kind, kind_choices, register

__all__ = ["ImportKind", "get_kind", "kind_choices", "register"]
