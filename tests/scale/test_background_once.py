"""Background work runs exactly once across server processes on one PostgreSQL database.

Two real `relatiebeheer serve` processes on 127.0.0.1 share one database and one data
directory (signing keys, secret key): one with `--workers 2`, one with a single worker, so
three webhook dispatchers run side by side. Changes are made through both servers at once;
the receiver must get every event exactly once, in the order of the change feed.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from server.integrations.webhooks_sign import generate_secret
from tests.conftest import PG_AVAILABLE, PG_SERVER, _admin_sql
from tests.integration.receiver import Receiver
from tests.live import free_port, gql, run_cli, start_server, stop_servers

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PG_AVAILABLE, reason="needs PostgreSQL on 127.0.0.1:5432"),
]
PASSWORD = "Correct-Horse-Battery-9"
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  session { accessToken } errors { code } } }"""
REGISTER = """mutation($i: LinkedSystemInput!) { registerLinkedSystem(input: $i) {
  system { id } errors { code field } } }"""
CREATE = """mutation($i: RelationInput!) { createRelation(input: $i) {
  relation { id } errors { code field } } }"""
UPDATE = """mutation($id: ID!, $i: RelationInput!) { updateRelation(id: $id, input: $i) {
  relation { id } errors { code field } } }"""
RELATIONS, ROUNDS = 8, 4


@dataclass
class Office:
    url: str
    servers: list[str]
    token: str = ""


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    """A fresh database, an admin, and two servers with background work on."""
    name = f"rb_scale_{uuid.uuid4().hex[:12]}"
    await _admin_sql(f'CREATE DATABASE "{name}"')
    ports = [free_port(), free_port()]
    env = {**os.environ, "DATABASE_URL": f"{PG_SERVER}/{name}",
           "RELATIEBEHEER_DATA_DIR": str(tmp_path), "RELATIEBEHEER_BACKGROUND_WORKERS": "1",
           # One issuer for both, so a token from one server is valid on the other.
           "RELATIEBEHEER_ISSUER": f"http://127.0.0.1:{ports[0]}",
           "RELATIEBEHEER_LOG_LEVEL": "WARNING"}  # fmt: skip
    processes: list[subprocess.Popen[bytes]] = []
    try:
        await asyncio.to_thread(run_cli, env, "migrate")
        await asyncio.to_thread(run_cli, env, "create-admin", "--email", "beheer@kantoor.example",
                                "--password", PASSWORD)  # fmt: skip
        await asyncio.gather(*(
            asyncio.to_thread(start_server, env, port, tmp_path / f"server-{port}.log",
                              "--workers", workers, started=processes)
            for port, workers in zip(ports, ("2", "1"), strict=True)
        ))  # fmt: skip
        yield Office(env["DATABASE_URL"], [f"http://127.0.0.1:{p}" for p in ports])
    finally:
        await asyncio.to_thread(stop_servers, processes)
        await _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _gql(base: str, query: str, variables: dict[str, Any], token: str = "") -> Any:
    payload = await gql(base, query, variables, token)
    assert payload.get("errors") in (None, []), payload
    return payload


async def _feed(url: str) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT id FROM change_event ORDER BY sequence")
        attempts = await conn.fetchval("SELECT COUNT(*) FROM delivery_attempt")
        delivered = await conn.fetchval(
            "SELECT COUNT(*) FROM delivery WHERE state = 'DELIVERED' AND attempts = 1"
        )
    finally:
        await conn.close()
    assert attempts == delivered == len(rows)
    return [str(row["id"]) for row in rows]


async def _until(done: Any, within: float) -> None:
    for _ in range(int(within / 0.1)):
        if done():
            return
        await asyncio.sleep(0.1)


async def test_each_change_reaches_the_receiver_exactly_once_in_order_across_processes(office):
    receiver = Receiver(secret=generate_secret()).start()
    try:
        first, second = office.servers
        token = await _gql(first, LOGIN, {"e": "beheer@kantoor.example", "p": PASSWORD})
        token = token["session"]["accessToken"]
        system = {"name": "Boekhouding", "kind": "BOOKKEEPING", "baseUrl": "https://boek.example",
                  "ssoAudience": "https://boek.example", "webhookUrl": receiver.url,
                  "webhookSecret": receiver.secret}  # fmt: skip
        await _gql(second, REGISTER, {"i": system}, token)

        # When: changes through both servers at the same time, every round.
        servers = [office.servers[n % 2] for n in range(RELATIONS)]
        created = await asyncio.gather(*(
            _gql(server, CREATE, {"i": {"partyType": "ORGANISATION", "legalForm": "BV",
                 "organisation": {"legalName": f"Klant {n} B.V."}}}, token)
            for n, server in enumerate(servers)
        ))  # fmt: skip
        ids = [payload["relation"]["id"] for payload in created]
        for round_ in range(ROUNDS):
            await asyncio.gather(*(
                _gql(office.servers[(n + round_) % 2], UPDATE,
                     {"id": rid, "i": {"website": f"https://klant{n}-{round_}.nl"}}, token)
                for n, rid in enumerate(ids)
            ))  # fmt: skip
        expected = RELATIONS * (1 + ROUNDS)
        await _until(lambda: len(receiver.accepted) >= expected, within=60)
        await asyncio.sleep(1.5)  # a duplicate would arrive now
    finally:
        receiver.stop()

    # Then: each event once, in feed order; one attempt per delivery, all delivered.
    feed = await _feed(office.url)
    assert len(feed) == expected
    assert receiver.accepted_ids() == feed
    assert [hit.webhook_id for hit in receiver.hits] == feed
    assert set(Counter(hit.webhook_id for hit in receiver.hits).values()) == {1}
    assert all(hit.verified and hit.status == 200 for hit in receiver.hits)
