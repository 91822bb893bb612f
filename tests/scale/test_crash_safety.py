"""Crash safety: SIGKILL mid-stream loses no acknowledged write and leaves nothing half-written.

A real server (SQLite with synchronous=FULL, or PostgreSQL) takes a stream of concurrent
createRelation and createSnapshot mutations and is killed with SIGKILL while they are in
flight. After a restart: every acknowledged relation and snapshot is there, every relation
present is whole (its history row, its change event, its search tokens), the outbox still
delivers every event to a real receiver, and a snapshot taken after the restart extends the
chain, which verifies from the first snapshot before the kill to that one.

That SQLite commits with synchronous=FULL is read, not assumed: `PRAGMA synchronous` is
per connection and cannot be asked of the server's own, so the test opens the database the
way the server does (server.db.init, whose SQLITE_PRAGMAS every connection applies) and
reads it there, together with two pragmas whose defaults differ, to show they are applied.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import asyncpg
import httpx
import pytest
from tortoise import Tortoise
from tortoise.connection import get_connection

from server import db as server_db
from server.integrations.webhooks_sign import generate_secret
from tests.conftest import ENGINES, PG_SERVER
from tests.integration.receiver import Receiver
from tests.live import free_port, run_cli, start_server, stop_servers
from tests.live import gql as _gql

pytestmark = pytest.mark.slow
PASSWORD = "Correct-Horse-Battery-9"
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  session { accessToken } errors { code } } }"""
CREATE = """mutation($i: RelationInput!) { createRelation(input: $i) {
  relation { id } errors { code field } } }"""
SNAPSHOT = """mutation($id: ID!) { createSnapshot(relationId: $id, reason: "jaarrekening") {
  snapshot { id position contentHash previousHash } errors { code } } }"""
REGISTER = """mutation($i: LinkedSystemInput!) { registerLinkedSystem(input: $i) {
  system { id } errors { code field } } }"""
STREAM = 40


class Database:
    """Raw reads of the server's database, to judge it from outside the server."""

    def __init__(self, url: str) -> None:
        self.url = url

    async def rows(self, sql: str) -> list[tuple]:
        if self.url.startswith("sqlite"):
            path = self.url[len("sqlite://") :]
            with sqlite3.connect(path) as conn:
                return [tuple(r) for r in conn.execute(sql).fetchall()]
        conn = await asyncpg.connect(self.url)
        try:
            return [tuple(r) for r in await conn.fetch(sql)]
        finally:
            await conn.close()


@pytest.fixture(params=ENGINES)
async def office(request, tmp_path: Path) -> AsyncIterator[tuple[dict[str, str], Database]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    else:
        name = f"rb_crash_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(f"{PG_SERVER}/postgres")
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        url = f"{PG_SERVER}/{name}"
    env = {**os.environ, "DATABASE_URL": url, "RELATIEBEHEER_DATA_DIR": str(tmp_path),
           "RELATIEBEHEER_BACKGROUND_WORKERS": "1", "RELATIEBEHEER_LOG_LEVEL": "WARNING",
           "RELATIEBEHEER_WEBHOOK_RETRIES": "0.2,0.2,0.5,1"}  # fmt: skip
    await asyncio.to_thread(run_cli, env, "migrate")
    await asyncio.to_thread(
        run_cli, env, "create-admin", "--email", "beheer@kantoor.example", "--password", PASSWORD
    )
    yield env, Database(url)
    if request.param == "postgres":
        admin = await asyncpg.connect(f"{PG_SERVER}/postgres")
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _stream(
    base: str, token: str, acknowledged: list[str], snapshots_of: Sequence[str] = ()
) -> list[str]:
    """STREAM new relations and a snapshot of each of `snapshots_of`, 8 at a time.

    Acknowledged relation ids go to `acknowledged` as they come; the acknowledged snapshot
    ids are returned.
    """
    gate = asyncio.Semaphore(8)
    snapshots: list[str] = []

    async def send(query: str, variables: dict) -> dict | None:
        async with gate:
            try:
                return await _gql(base, query, variables, token)
            except (httpx.HTTPError, ValueError):
                return None  # the server died under this request: not acknowledged

    async def relation(n: int) -> None:
        payload = await send(CREATE, {"i": {
            "partyType": "ORGANISATION", "kinds": ["CLIENT"], "legalForm": "BV",
            "organisation": {"legalName": f"Stroom {n} B.V."}}})  # fmt: skip
        if payload is not None:
            acknowledged.append(payload["relation"]["id"])

    async def snapshot(relation_id: str) -> None:
        payload = await send(SNAPSHOT, {"id": relation_id})
        if payload is not None:
            assert payload["errors"] == [], payload
            snapshots.append(payload["snapshot"]["id"])

    # Interleaved, so that the kill finds both kinds in flight (the gate serves in order).
    sends = [relation(n) for n in range(STREAM)]
    for n, relation_id in enumerate(snapshots_of):
        sends.insert(2 * n + 1, snapshot(relation_id))
    await asyncio.gather(*sends)
    return snapshots


async def _sqlite_pragmas(url: str) -> dict[str, object]:
    """synchronous, cache_size and busy_timeout of a connection opened as the server opens one."""
    await server_db.init(url)
    try:
        connection = get_connection("default")
        return {
            name: next(iter((await connection.execute_query_dict(f"PRAGMA {name}"))[0].values()))
            for name in ("synchronous", "cache_size", "busy_timeout")
        }
    finally:
        await Tortoise.close_connections()


async def test_a_killed_server_keeps_every_acknowledged_write_whole(office, tmp_path):
    env, database = office
    if database.url.startswith("sqlite"):
        assert server_db.SQLITE_PRAGMAS["synchronous"] == "FULL"
        # 2 is FULL; -65536 and 10000 are ours (the defaults are -2000 and 0).
        pragmas = await _sqlite_pragmas(database.url)
        assert pragmas == {"synchronous": 2, "cache_size": -65536, "busy_timeout": 10000}
    port = free_port()
    env["RELATIEBEHEER_ISSUER"] = f"http://127.0.0.1:{port}"
    base, log = f"http://127.0.0.1:{port}", tmp_path / "server.log"
    receiver = Receiver(secret=generate_secret()).start()
    servers: list[subprocess.Popen[bytes]] = []
    server = await asyncio.to_thread(start_server, env, port, log, started=servers)
    try:
        login = await _gql(base, LOGIN, {"e": "beheer@kantoor.example", "p": PASSWORD})
        token = login["session"]["accessToken"]
        await _gql(base, REGISTER, {"i": {
            "name": "Boekhouding", "kind": "BOOKKEEPING", "baseUrl": "https://boek.example",
            "ssoAudience": "https://boek.example", "webhookUrl": receiver.url,
            "webhookSecret": receiver.secret}}, token)  # fmt: skip
        first: list[str] = []
        await _stream(base, token, first)
        taken = [await _gql(base, SNAPSHOT, {"id": r}, token) for r in first[:3]]
        assert [t["errors"] for t in taken] == [[], [], []]

        # When: a second stream with snapshots in it, and SIGKILL as soon as a few of it are
        # acknowledged.
        acknowledged: list[str] = []
        stream = asyncio.create_task(_stream(base, token, acknowledged, first[3:13]))
        while len(acknowledged) < 5:  # noqa: ASYNC110 (polling a plain list is the point)
            await asyncio.sleep(0.01)
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        snapshots = [t["snapshot"]["id"] for t in taken] + await stream
        assert 5 <= len(acknowledged) < STREAM

        # Then: after a restart, everything acknowledged is there and whole.
        server = await asyncio.to_thread(start_server, env, port, log, started=servers)
        for relation_id in first + acknowledged:
            found = await _gql(base, "query($id: ID!) { relation(id: $id) { id } }",
                               {"id": relation_id}, token)  # fmt: skip
            assert found == {"id": relation_id}
        for snapshot_id in snapshots:
            found = await _gql(base, "query($id: ID!) { snapshot(id: $id) { id } }",
                               {"id": snapshot_id}, token)  # fmt: skip
            assert found == {"id": snapshot_id}
        relations = await database.rows("SELECT id FROM relation")
        for (relation_id,) in relations:
            rid = str(relation_id)
            assert await database.rows(
                f"SELECT 1 FROM version WHERE entity = 'relation' AND entity_id = '{rid}'"
            ), f"relation {rid} has no history row"
            assert await database.rows(
                f"SELECT 1 FROM change_event WHERE type = 'relation.created' "
                f"AND CAST(relation_id AS TEXT) = '{rid}'"
            ), f"relation {rid} has no change event"
            assert await database.rows(
                f"SELECT 1 FROM relation_search_token WHERE CAST(relation_id AS TEXT) = '{rid}'"
            ), f"relation {rid} has no search tokens"
        events = [str(r[0]) for r in await database.rows(
            "SELECT id FROM change_event ORDER BY sequence")]  # fmt: skip
        for _ in range(300):
            if set(receiver.accepted_ids()) >= set(events):
                break
            await asyncio.sleep(0.1)
        assert receiver.accepted_ids() == events

        # And: a snapshot after the restart extends the chain the kill interrupted, and the
        # chain verifies over every snapshot, from before the kill to after it.
        (head,) = await database.rows("SELECT position, content_hash FROM snapshot "
                                      "ORDER BY position DESC LIMIT 1")  # fmt: skip
        after = (await _gql(base, SNAPSHOT, {"id": acknowledged[0]}, token))["snapshot"]
        assert (after["position"], after["previousHash"]) == (head[0] + 1, head[1])
        ((stored,),) = await database.rows("SELECT COUNT(*) FROM snapshot")
        assert stored >= len(snapshots) + 1 >= 4
        verification = await _gql(base, "{ verifySnapshots { ok checked headHash } }", {}, token)
        assert verification == {"ok": True, "checked": stored, "headHash": after["contentHash"]}
    finally:
        receiver.stop()
        await asyncio.to_thread(stop_servers, servers)
