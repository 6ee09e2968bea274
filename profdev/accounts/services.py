"""Writes about users: personal-data access log."""

from typing import Any

from profdev.accounts.models import PersonalDataAccess


def snils_access_record(*, user: Any, teacher: Any) -> PersonalDataAccess:
    """Log that `user` was shown `teacher`'s full SNILS."""
    return PersonalDataAccess.objects.create(user=user, teacher=teacher, field="snils")
