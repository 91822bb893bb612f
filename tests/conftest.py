"""Test fixtures: a clean database per test on SQLite always and on PostgreSQL when reachable.

Each engine's schema comes from the real migrations (once per session); each test then
gets a fresh copy (SQLite: a copied template file) or emptied tables (PostgreSQL).
Set RELATIEBEHEER_TEST_REQUIRE_POSTGRES=1 (CI does) to fail instead of skipping PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.connection import get_connection

if TYPE_CHECKING:
    from tests.factories import Api

PG_SERVER = os.environ.get("RELATIEBEHEER_TEST_PG", "postgres://postgres@127.0.0.1:5432")


def _pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


PG_AVAILABLE = _pg_reachable()
if os.environ.get("RELATIEBEHEER_TEST_REQUIRE_POSTGRES") == "1" and not PG_AVAILABLE:
    raise RuntimeError(
        "PostgreSQL is required (RELATIEBEHEER_TEST_REQUIRE_POSTGRES=1) but unreachable"
    )
ENGINES = ["sqlite", "postgres"] if PG_AVAILABLE else ["sqlite"]


@dataclass(frozen=True)
class Engine:
    name: str
    url: str

    @property
    def is_postgres(self) -> bool:
        return self.name == "postgres"


@pytest.fixture(scope="session", autouse=True)
def settings_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private data dir (keys, secrets) and no background loops unless a test starts them."""
    from server.auth.keys import reset_keystore
    from server.settings import reset_settings

    data_dir = tmp_path_factory.mktemp("data")
    os.environ["RELATIEBEHEER_DATA_DIR"] = str(data_dir)
    os.environ["RELATIEBEHEER_BACKGROUND_WORKERS"] = "0"
    os.environ.setdefault("RELATIEBEHEER_LOGIN_MAX_FAILURES", "5")
    reset_settings()
    reset_keystore()
    return data_dir


async def _admin_sql(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from server import db

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    await db.migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
async def postgres_url() -> AsyncIterator[str | None]:
    from server import db

    if not PG_AVAILABLE:
        yield None
        return
    name = f"rb_test_{uuid.uuid4().hex[:12]}"
    await _admin_sql(f'CREATE DATABASE "{name}"')
    url = f"{PG_SERVER}/{name}"
    try:
        await db.migrate(url)
        yield url
    finally:
        await Tortoise.close_connections()
        await _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _truncate_postgres() -> None:
    tables = [model._meta.db_table for app in Tortoise.apps.values() for model in app.values()]
    conn = get_connection("default")
    # Triggers (e.g. the snapshot table's) must not stop the reset between tests.
    await conn.execute_script(
        "SET session_replication_role = replica; "
        f"TRUNCATE {', '.join(f'{t!r}'.replace(chr(39), chr(34)) for t in tables)} "
        "RESTART IDENTITY CASCADE; SET session_replication_role = DEFAULT;"
    )


@pytest.fixture(params=ENGINES)
async def db(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, postgres_url: str | None
) -> AsyncIterator[Engine]:
    """A clean, migrated database for this test, with Tortoise initialised on it."""
    from server import db as server_db

    # Tortoise caches INSERT/DELETE SQL per connection name, not per dialect.
    EXECUTOR_CACHE.clear()
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(sqlite_template, path)
        engine = Engine("sqlite", f"sqlite:///{path}")
        await server_db.init(engine.url)
    else:
        assert postgres_url is not None
        engine = Engine("postgres", postgres_url)
        await server_db.init(engine.url)
        await _truncate_postgres()
    try:
        yield engine
    finally:
        await Tortoise.close_connections()


@pytest.fixture
async def client(db: Engine) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the real ASGI app (lifespan handled by the db fixture)."""
    from server.app import create_app

    app = create_app(manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def api(client: httpx.AsyncClient) -> Api:
    from tests.factories import Api

    return Api(client)
