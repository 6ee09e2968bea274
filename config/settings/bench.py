"""Load benchmarks on 127.0.0.1 (bench/load_bench.py): production-like (DEBUG off), plain HTTP."""

from config.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
