"""Test settings: fast hashing, in-memory files, eager tasks."""

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="profdev-test-media-"))
REPORTS_ROOT = Path(tempfile.mkdtemp(prefix="profdev-test-reports-"))
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = ""
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests log in with force_login; the lockout test turns axes back on.
AXES_ENABLED = False
