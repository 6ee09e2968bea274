"""Load benchmarks on 127.0.0.1 (bench/load_bench.py): production-like (DEBUG off), plain HTTP."""

from config.database import with_connection_pool
from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES as _DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Pooled PostgreSQL connections as in production (DB_POOL=0 for persistent ones instead).
DATABASES = {"default": with_connection_pool(_DATABASES["default"], default=True)}
