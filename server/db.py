"""Tortoise configuration for SQLite (embedded default) and PostgreSQL, and migrations."""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection

from server.settings import get_settings

MODELS = ["server.models"]
SQLITE_PRAGMAS = {
    "journal_mode": "WAL",
    "foreign_keys": "ON",
    # An office's data is worth the slower commit: survive power loss, not only crashes.
    "synchronous": "FULL",
    "busy_timeout": 10000,
    # Search probes the token indexes at random places: a 64 MiB page cache and memory-mapped
    # reads keep 100,000 relations' indexes in memory (the default cache is 2 MiB).
    "cache_size": -65536,
    "mmap_size": 268435456,
}


def connection_config(url: str) -> dict[str, Any]:
    """Tortoise connection settings for a `DATABASE_URL`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = url[len("sqlite://") :]
        return {
            "engine": "tortoise.backends.sqlite",
            "credentials": {"file_path": path, **SQLITE_PRAGMAS},
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "engine": "tortoise.backends.asyncpg",
            "credentials": {
                "host": parts.hostname or "127.0.0.1",
                "port": parts.port or 5432,
                "user": parts.username or "postgres",
                "password": parts.password or "",
                "database": parts.path.lstrip("/") or "postgres",
                "minsize": 1,
                "maxsize": 20,
            },
        }
    raise ValueError("DATABASE_URL must start with sqlite:/// or postgres://")


def tortoise_config(url: str | None = None) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(url or get_settings().database_url)},
        "apps": {
            "models": {
                "models": MODELS,
                "default_connection": "default",
                "migrations": "server.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def ensure_data_dir() -> None:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)


# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises migrations.
MIGRATION_LOCK_KEY = 0x72656C6174696500  # "relatie\0"


@asynccontextmanager
async def migration_lock(url: str) -> AsyncIterator[None]:
    """Hold an exclusive lock on the database while migrating.

    Several processes start at once (`serve --workers 4`, a rolling deploy, two hosts on one
    PostgreSQL); each applies pending migrations first, and DDL run twice at the same moment
    fails ("tuple concurrently updated") or half-applies. PostgreSQL gets a session advisory
    lock on its own connection; SQLite an exclusive lock on a file beside the database.
    """
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        import asyncpg

        credentials = connection_config(url)["credentials"]
        conn = await asyncpg.connect(
            host=credentials["host"],
            port=credentials["port"],
            user=credentials["user"],
            password=credentials["password"] or None,
            database=credentials["database"],
        )
        try:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
            try:
                yield
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
        finally:
            await conn.close()
        return
    path = url[len("sqlite://") :]
    if path in {"", ":memory:"}:
        yield
        return
    handle = await asyncio.to_thread(_lock_file, f"{path}.migrate-lock")
    try:
        yield
    finally:
        handle.close()  # closing the descriptor releases the lock


def _lock_file(path: str) -> BinaryIO:
    handle = open(path, "a+b")  # noqa: SIM115 (held open for as long as the lock)
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    return handle


async def migrate(url: str | None = None) -> None:
    """Apply pending migrations; safe to run on an up-to-date database, from many processes."""
    from tortoise.migrations.api import migrate as run_migrations

    from server.services.snapshot_guards import install_guards

    ensure_data_dir()
    url = url or get_settings().database_url
    async with migration_lock(url):
        try:
            await run_migrations(config=tortoise_config(url))
            await install_guards(get_connection("default"))
        finally:
            await Tortoise.close_connections()


async def init(url: str | None = None) -> None:
    """Initialise the ORM for this process; request tasks see it through the global fallback."""
    ensure_data_dir()
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)


async def close() -> None:
    await Tortoise.close_connections()


async def ping() -> bool:
    try:
        await get_connection("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True


async def drop_indexes(client: BaseDBAsyncClient, table: str) -> list[str]:
    """Drop the table's secondary indexes; returns the statements that recreate them.

    Building an index once over all rows is far faster than keeping it up to date row by
    row: bulk loads (the benchmark's generator, a migration rewriting a table) drop, load
    and recreate.
    """
    if client.capabilities.dialect == "sqlite":
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        sql += "AND sql IS NOT NULL"
    else:
        sql = "SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE tablename = $1 "
        sql += "AND indexname NOT LIKE '%pkey'"
    rows = await client.execute_query_dict(sql, [table])
    for row in rows:
        await client.execute_query(f'DROP INDEX "{row["name"]}"')  # not a script: that commits
    return [str(r["sql"]) for r in rows]


def is_postgres() -> bool:
    return get_connection("default").capabilities.dialect == "postgres"
