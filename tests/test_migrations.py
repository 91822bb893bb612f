"""Migrations create the whole schema on an empty database, twice safely, on both engines."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.connection import get_connection
from tortoise.migrations.autodetector import MigrationAutodetector

from server import db
from tests.conftest import ENGINES, PG_SERVER, _admin_sql

ROOT = Path(__file__).resolve().parents[1]


async def _tables() -> set[str]:
    conn = get_connection("default")
    if conn.capabilities.dialect == "postgres":
        rows = await conn.execute_query_dict(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        )
    else:
        rows = await conn.execute_query_dict("SELECT name FROM sqlite_master WHERE type='table'")
    return {row["name"] for row in rows}


@pytest.fixture(params=ENGINES)
async def empty_database(request, tmp_path) -> AsyncIterator[str]:
    """The URL of a database with nothing in it, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"rb_mig_{uuid.uuid4().hex[:10]}"
    await _admin_sql(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        await Tortoise.close_connections()
        await _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _assert_every_model_table(url: str) -> None:
    await db.init(url)
    try:
        expected = {m._meta.db_table for app in Tortoise.apps.values() for m in app.values()}
        assert expected <= await _tables()
    finally:
        await Tortoise.close_connections()


async def test_an_empty_database_migrates_to_every_model_table_and_again_safely(empty_database):
    await db.migrate(empty_database)
    await db.migrate(empty_database)
    await _assert_every_model_table(empty_database)


async def test_processes_starting_together_migrate_one_at_a_time(empty_database, tmp_path):
    """`serve --workers 4` or two hosts on one database: each process migrates at start."""
    url = empty_database
    env = {**os.environ, "RELATIEBEHEER_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": url}
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            f"import asyncio; from server import db; asyncio.run(db.migrate({url!r}))",
            cwd=ROOT,
            env=env,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(4)
    ]
    results = await asyncio.wait_for(
        asyncio.gather(*(p.communicate() for p in processes)), timeout=120
    )
    outcomes = zip(processes, results, strict=True)
    failures = [err.decode()[-800:] for p, (_, err) in outcomes if p.returncode]
    assert not failures, failures
    await _assert_every_model_table(url)


async def test_the_migrations_describe_the_models_exactly(tmp_path):
    """A model change without its migration fails here (like `makemigrations --check`)."""
    await db.init(f"sqlite:///{tmp_path / 'check.sqlite3'}")
    try:
        apps = {"models": db.tortoise_config()["apps"]["models"]}
        writers = await MigrationAutodetector(Tortoise.apps, apps).changes()
        assert not writers, "models changed without a migration: run makemigrations"
    finally:
        await Tortoise.close_connections()
