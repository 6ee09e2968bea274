# The two commands: `make run` (demo on SQLite) and `make test` (lint, types, tests).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: crawl run test lint typecheck pytest venv migrate seed messages catalogues clean-db \
	country bench bench-indicators bench-import bench-load bench-xlsx

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -m pip install -q -r requirements.lock 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import django, rest_framework, pytest" 
	touch $@

venv: $(VENV)/.installed

# Translation catalogues: .po -> .mo in pure Python (polib), so a machine without gettext builds too.
catalogues: venv
	$(PY) manage.py compile_catalogues -v0

# Re-extract strings into locale/en and locale/ru after changing code (needs GNU gettext);
# then translate the new empty entries in locale/en/LC_MESSAGES/django.po.
messages: venv
	$(PY) manage.py update_catalogues
	$(PY) manage.py compile_catalogues

migrate: venv catalogues
	$(PY) manage.py migrate --noinput -v0

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "----------------------------------------------------------------"
	@echo "Система: http://127.0.0.1:8000/  (API: http://127.0.0.1:8000/api/v1/docs/)"
	@echo "Демо-пользователи (логин, пароль, роль):"
	@cat var/demo-credentials.txt
	@echo "----------------------------------------------------------------"
	$(PY) manage.py runserver 127.0.0.1:8000

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy profdev config

pytest: venv catalogues
	$(VENV)/bin/pytest -q -n 2 -m "not browser"

test: lint typecheck pytest

clean-db:
	rm -f var/db.sqlite3 var/db.sqlite3-wal var/db.sqlite3-shm var/demo-credentials.txt

# Benchmarks of issue 10 (docs/performance.md), one command each on a fresh clone. They need
# PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis; `make country` generates the country
# (SCALE=1.0: about 5 minutes, 6.8 million rows) into the database COUNTRY_DB once.
PG := postgres://postgres@127.0.0.1:5432
COUNTRY_DB ?= country
SCALE ?= 1.0

define ensure_database
	@psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw $(1) \
		|| createdb -h 127.0.0.1 -U postgres $(1)
endef

country: venv catalogues
	$(call ensure_database,$(COUNTRY_DB))
	DATABASE_URL=$(PG)/$(COUNTRY_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(PG)/$(COUNTRY_DB) $(PY) manage.py generate_country --scale $(SCALE) --if-empty
	DATABASE_URL=$(PG)/$(COUNTRY_DB) $(PY) manage.py build_count_steps

bench-indicators: seed country
	$(PY) bench/indicators_bench.py --everywhere --pg-url $(PG)/$(COUNTRY_DB) --repeat 3

bench-import: venv catalogues
	$(call ensure_database,import_bench)
	$(PY) bench/import_bench.py --rows 100000 --database $(PG)/import_bench --database sqlite

bench-load: country
	DATABASE_URL=$(PG)/$(COUNTRY_DB) CACHE_URL=redis://127.0.0.1:6379/7 $(PY) bench/load_bench.py --pages dashboard,teachers,healthz

bench-xlsx: country
	DATABASE_URL=$(PG)/$(COUNTRY_DB) $(PY) bench/xlsx_bench.py --list-user g01-official --report-year 2025

bench: bench-indicators bench-import bench-load bench-xlsx

# Every page each demo user reaches by links: failures, dead links, slow pages, query counts.
crawl: seed
	$(PY) bench/pages_crawl.py
