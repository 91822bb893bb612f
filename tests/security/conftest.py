"""A real office for the security tests: a migrated database with one admin, and servers on it.

`office` runs each test on SQLite and on PostgreSQL (when reachable), like `db` does
in-process; `office.start(**env)` starts `relatiebeheer serve` on a free port, with its
stdout and stderr in `office.log`, and every server is stopped after the test.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ENGINES, PG_SERVER, _admin_sql
from tests.live import free_port, gql, run_cli, start_server, stop_servers

ADMIN_EMAIL = "beheer@kantoor.example"
ADMIN_PASSWORD = "Correct-Horse-Battery-9"
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  session { accessToken } errors { code } } }"""


@dataclass
class Office:
    engine: str
    url: str
    directory: Path
    env: dict[str, str]
    servers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def log(self) -> Path:
        return self.directory / "server.log"

    async def start(
        self, *serve_args: str, **extra_env: str
    ) -> tuple[str, subprocess.Popen[bytes]]:
        """A running server (its base URL and process); settings in `extra_env` win."""
        port = free_port()
        env = {**self.env, "RELATIEBEHEER_ISSUER": f"http://127.0.0.1:{port}", **extra_env}
        process = await asyncio.to_thread(
            start_server, env, port, self.log, *serve_args, started=self.servers
        )
        return f"http://127.0.0.1:{port}", process

    async def cli(self, *args: str) -> None:
        await asyncio.to_thread(run_cli, self.env, *args)


@asynccontextmanager
async def open_office(engine: str, directory: Path) -> AsyncIterator[Office]:
    """A fresh database on `engine` with its admin; servers stopped, database dropped after."""
    if engine == "sqlite":
        name, url = "", f"sqlite:///{directory / 'office.sqlite3'}"
    else:
        name = f"rb_security_{uuid.uuid4().hex[:10]}"
        await _admin_sql(f'CREATE DATABASE "{name}"')
        url = f"{PG_SERVER}/{name}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RELATIEBEHEER_DATA_DIR": str(directory),
        "RELATIEBEHEER_BACKGROUND_WORKERS": "0",
    }
    office = Office(engine, url, directory, env)
    try:
        await office.cli("migrate")
        await office.cli("create-admin", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD)
        yield office
    finally:
        await asyncio.to_thread(stop_servers, office.servers)
        if name:
            await _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=ENGINES)
async def office(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Office]:
    async with open_office(request.param, tmp_path) as opened:
        yield opened


async def sign_in(base: str, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> str:
    """An access token from the server's own login mutation."""
    login = await gql(base, LOGIN, {"e": email, "p": password})
    assert login["errors"] == [], login
    return str(login["session"]["accessToken"])
