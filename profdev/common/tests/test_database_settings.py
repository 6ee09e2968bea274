"""The psycopg connection pool is turned on by the environment for PostgreSQL only."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from config.database import with_connection_pool

POSTGRES = {"ENGINE": "django.db.backends.postgresql", "NAME": "profdev", "CONN_MAX_AGE": 60}


def test_pool_on_by_default_with_sizes_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DB_POOL", raising=False)
    monkeypatch.setenv("DB_POOL_MAX_SIZE", "12")
    pooled = with_connection_pool(POSTGRES, default=True)  # type: ignore[arg-type]
    assert pooled["OPTIONS"]["pool"]["max_size"] == 12
    assert pooled["OPTIONS"]["pool"]["min_size"] == 2
    assert pooled["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    assert POSTGRES["CONN_MAX_AGE"] == 60  # the input is left as it was


def test_pool_off_by_environment_or_for_sqlite(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DB_POOL", "0")
    assert "OPTIONS" not in with_connection_pool(POSTGRES, default=True)  # type: ignore[arg-type]
    monkeypatch.delenv("DB_POOL")
    assert "OPTIONS" not in with_connection_pool(POSTGRES, default=False)  # type: ignore[arg-type]
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}
    assert with_connection_pool(sqlite, default=True) == sqlite  # type: ignore[arg-type]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is for PostgreSQL")
def test_bench_settings_serve_queries_from_the_pool() -> None:
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "connection.ensure_connection()\n"
        "assert connection.pool is not None\n"
        "with connection.cursor() as cursor: cursor.execute('SELECT 1')\n"
        "connection.close()\n"
        "print(connection.pool.get_stats()['pool_size'])\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) >= 1
