"""Migrations create the whole schema on an empty database, twice safely, on both engines."""

from __future__ import annotations

import uuid

import pytest
from tortoise import Tortoise
from tortoise.connection import get_connection
from tortoise.migrations.autodetector import MigrationAutodetector

from server import db
from tests.conftest import ENGINES, PG_SERVER, _admin_sql


async def _tables() -> set[str]:
    conn = get_connection("default")
    if conn.capabilities.dialect == "postgres":
        rows = await conn.execute_query_dict(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        )
    else:
        rows = await conn.execute_query_dict("SELECT name FROM sqlite_master WHERE type='table'")
    return {row["name"] for row in rows}


@pytest.mark.parametrize("engine", ENGINES)
async def test_an_empty_database_migrates_to_every_model_table_and_again_safely(engine, tmp_path):
    if engine == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        name = f"rb_mig_{uuid.uuid4().hex[:10]}"
        await _admin_sql(f'CREATE DATABASE "{name}"')
        url = f"{PG_SERVER}/{name}"
    try:
        await db.migrate(url)
        await db.migrate(url)
        await db.init(url)
        expected = {m._meta.db_table for app in Tortoise.apps.values() for m in app.values()}
        assert expected <= await _tables()
        await Tortoise.close_connections()
    finally:
        if engine == "postgres":
            await Tortoise.close_connections()
            await _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_the_migrations_describe_the_models_exactly(tmp_path):
    """A model change without its migration fails here (like `makemigrations --check`)."""
    await db.init(f"sqlite:///{tmp_path / 'check.sqlite3'}")
    try:
        apps = {"models": db.tortoise_config()["apps"]["models"]}
        writers = await MigrationAutodetector(Tortoise.apps, apps).changes()
        assert not writers, "models changed without a migration: run makemigrations"
    finally:
        await Tortoise.close_connections()
