"""The database connection settings that depend on the environment: psycopg's connection pool."""

from dj_database_url import DBConfig

from config.env import env_bool, env_int


def with_connection_pool(database: DBConfig, *, default: bool) -> DBConfig:
    """`database` with Django's psycopg pool turned on when it is PostgreSQL and DB_POOL says so.

    Each gunicorn worker process keeps its own pool of DB_POOL_MIN_SIZE..DB_POOL_MAX_SIZE
    connections shared by its threads; a request borrows one and gives it back at its end, so
    no request pays for a new connection (PostgreSQL forks a backend per connection, several ms).
    A request waits at most DB_POOL_TIMEOUT seconds for a free connection. Pooling replaces
    persistent connections, so CONN_MAX_AGE is 0 with it (Django refuses both at once).
    """
    if database.get("ENGINE") != "django.db.backends.postgresql":
        return database
    if not env_bool("DB_POOL", default):
        return database
    pool = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 2),
        "max_size": env_int("DB_POOL_MAX_SIZE", 8),
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
        # Connections older than this are replaced, so a long-lived worker does not keep a
        # backend whose memory has grown forever.
        "max_lifetime": env_int("DB_POOL_MAX_LIFETIME", 1800),
    }
    pooled = database.copy()
    pooled["OPTIONS"] = {**database.get("OPTIONS", {}), "pool": pool}
    pooled["CONN_MAX_AGE"] = 0
    return pooled
