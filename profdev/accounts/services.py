"""Writes about users: personal-data access log."""

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from profdev.accounts.models import PersonalDataAccess


def snils_access_record(*, user: Any, teacher: Any) -> PersonalDataAccess:
    """Log that `user` was shown `teacher`'s full SNILS."""
    return PersonalDataAccess.objects.create(user=user, teacher=teacher, field="snils")


def personal_data_export_record(*, user: Any, teacher: Any) -> PersonalDataAccess:
    """Log that `user` exported everything held about `teacher`."""
    return PersonalDataAccess.objects.create(user=user, teacher=teacher, field="export")


def user_sessions_end(*, user: Any) -> int:
    """Log `user` out everywhere: delete every session of theirs and their API token."""
    from django.contrib.sessions.models import Session
    from rest_framework.authtoken.models import Token

    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    Token.objects.filter(user=user).delete()
    return len(ended)
