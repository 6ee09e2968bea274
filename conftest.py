"""Named users per role and a small two-municipality region shared by all tests."""

from typing import Any

pytest_plugins = ["profdev.common.tests.fixtures"]


def pytest_configure(config: Any) -> None:
    """Compile stale translation catalogues (.mo are not in git), as `make test` does."""
    from django.conf import settings

    from profdev.common.i18n import compile_all

    if settings.configured:
        compile_all()
