"""Local development on a laptop: DEBUG on, SQLite by default."""

from config.settings.base import *  # noqa: F403

DEBUG = True
