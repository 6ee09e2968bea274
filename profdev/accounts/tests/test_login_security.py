import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings
from django.urls import reverse


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_failed_logins_are_throttled_per_account_and_address(client, operator) -> None:  # type: ignore[no-untyped-def]
    url = reverse("accounts:login")
    for _ in range(3):
        response = client.post(url, {"username": "operator", "password": "wrong"})
    assert response.status_code == 429
    assert "Слишком много неудачных попыток" in response.content.decode()
    # Even the right password is refused during the cool-off.
    blocked = client.post(url, {"username": "operator", "password": "secret-pass-123"})
    assert blocked.status_code == 429
    # Another account from the same address is not locked.
    from profdev.common.tests.factories import UserFactory

    UserFactory(username="second", role="operator", region=operator.region)
    ok = client.post(url, {"username": "second", "password": "secret-pass-123"})
    assert ok.status_code == 302


def test_pages_carry_a_content_security_policy(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("accounts:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_production_settings_pass_check_deploy() -> None:
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-for-the-check-only-0123456789",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings",
            "config.settings.prod",
        ],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
