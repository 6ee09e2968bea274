"""The bench scripts still run from the repository, at a tiny size.

Their figures are not checked here (benches measure, tests do not time): only that each script
gets through every step and prints its targets, so a change elsewhere cannot break
`make bench-…` unnoticed (the XLSX bench once failed on a translated sheet name).
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
BENCH_DATABASE = "profdev_bench_smoke"

# CI runs the suite twice: the benches that need no PostgreSQL run in the SQLite pass, the
# PostgreSQL import in the PostgreSQL pass, so each runs once.
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="run once, with SQLite")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs the PostgreSQL server"
)


def run(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
@on_sqlite
def test_the_xlsx_bench_runs() -> None:
    out = run("bench/xlsx_bench.py", "--rows", "500", "--repeat", "1")
    assert "bare " in out and "common " in out and "ratio common/bare time" in out


@pytest.mark.slow
@on_sqlite
def test_the_import_bench_runs_on_sqlite() -> None:
    out = run("bench/import_bench.py", "--rows", "200", "--database", "sqlite", "--repeat", "1")
    assert "commit, audit ON" in out and "same file again" in out and "targets:" in out


@pytest.mark.slow
@on_postgresql
def test_the_import_bench_runs_on_postgresql() -> None:
    server = connection.settings_dict
    login = server["USER"] + (f":{server['PASSWORD']}" if server.get("PASSWORD") else "")
    address = f"postgres://{login}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}"
    with psycopg.connect(f"{address}/postgres", autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]
        ).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    out = run(
        "bench/import_bench.py",
        "--rows",
        "200",
        "--database",
        f"{address}/{BENCH_DATABASE}",
        "--repeat",
        "1",
    )
    # Every COPY of the writer thread and the commit, measured on the backend.
    for step in ("COPY people_teacher", "COPY people_historicalemployment", "COMMIT"):
        assert step in out, step
    assert "targets:" in out


@pytest.mark.slow
@on_sqlite
def test_the_page_crawl_runs_and_finds_no_failure(tmp_path: Path) -> None:
    """`make crawl` on a tiny seeded demo: a school coordinator's and a teacher's pages, no
    failure and no link to a page they cannot open."""
    env = {key: value for key, value in os.environ.items() if key != "CELERY_BROKER_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        PROFDEV_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'crawl.sqlite3'}",
    )
    for args in (["manage.py", "migrate", "--noinput", "-v0"],
                 ["manage.py", "seed_demo", "--scale", "0.01"]):  # fmt: skip
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=600)  # fmt: skip
    result = subprocess.run(
        [sys.executable, "bench/pages_crawl.py", "--users", "school,teacher", "--pages", "60"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "school: 60 pages" in result.stdout and "teacher:" in result.stdout
    assert " 0 failed" in result.stdout
