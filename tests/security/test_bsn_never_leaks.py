"""A known BSN goes through everything a real office does, and is found only where allowed.

One server per engine at DEBUG log level (SQL with its parameters in the log), with the
webhook dispatcher on and two real receivers: one linked system without and one with
`allowBsn`. Persons with BSNs are created, partnered, re-numbered, refused (a number failing
the elfproef, one in use, one sent as an Int), read (card, list, asOf, history, snapshots,
a search for the BSN) by an EMPLOYEE and by a MANAGER, snapshotted, exported with
`relatiebeheer snapshot export`, drilled down to, and fed to both systems (the first
attempt answered 500). Then the BSNs may appear only:

* in the API, in the fields that reveal them (`bsn`, `partnerBsn`), and only to a role with
  READ_BSN (MANAGER);
* in the webhooks to the system with allowBsn, and in its deliveries' stored bodies;

and nowhere else: not in the server's output, the export's output and files, the other
system's webhooks, the change feed, snapshot cards, drill-down tokens, error messages, or
any other column of any table (the BSN columns hold ciphertext, and the bodies of the
deliveries to the allowed system are sealed at rest, so their INSERT logs no clear BSN).

tests/register/test_bsn.py holds the in-process rules (encryption, audit, search tokens).
"""

from __future__ import annotations

import asyncio
import base64
import json
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from server.integrations.webhooks_sign import generate_secret
from server.services.outbox import SEALED
from server.services.snapshots import CARD_QUERY
from tests.integration.receiver import Receiver
from tests.live import CLI, gql, stop_servers
from tests.security.conftest import Office, sign_in

pytestmark = pytest.mark.slow
BSN_JAN, BSN_PARTNER, BSN_JAN_LATER = "111222333", "123456782", "232262536"
BSNS = (BSN_JAN, BSN_PARTNER, BSN_JAN_LATER)
NOT_A_BSN = "111222334"  # fails the elfproef, so it is refused; still never to be logged
PASSWORD = "Lang-en-sterk-wachtwoord-7"
REVEALING_FIELDS = frozenset({"bsn", "partnerBsn"})

CREATE_EMPLOYEE = """mutation($i: EmployeeInput!) { createEmployee(input: $i) {
  employee { id } errors { code } } }"""
REGISTER = """mutation($i: LinkedSystemInput!) { registerLinkedSystem(input: $i) {
  system { id allowBsn } errors { code field } } }"""
CREATE = """mutation($i: RelationInput!) { createRelation(input: $i) {
  relation { id number person { bsn bsnMasked } } errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $i: RelationInput!) { updateRelation(id: $id, input: $i) {
  relation { id person { bsn bsnMasked } } errors { field code message } } }"""
PARTNER = """mutation($a: ID!, $b: ID!) { setPartnership(personId: $a, partnerId: $b,
  type: MARRIED, fiscalPartner: true) { errors { code } } }"""
SNAPSHOT = """mutation($id: ID!) { createSnapshot(relationId: $id, reason: "jaarrekening") {
  snapshot { id card bsn partnerBsn } errors { code } } }"""
LINK = """mutation($r: ID!, $s: ID!) { linkAccount(relationId: $r, systemId: $s,
  externalId: "IB-1001") { account { id } errors { code } } }"""
DRILL = """mutation($id: ID!) { drillDown(accountId: $id) {
  drillDown { url token } errors { code } } }"""
REVEAL = """query($id: ID!, $asOf: DateTime) { relation(id: $id, asOf: $asOf) {
  person { bsn bsnMasked } partnership { partner { person { bsn bsnMasked } } } } }"""
HISTORY = """query($id: ID!) { relation(id: $id) {
  versions(first: 50) { entity op changes } snapshots { id card bsn partnerBsn } } }"""
LIST = """{ relations(search: "Berg") { totalCount edges { node { person { bsn } } } } }"""
SEARCH = """query($s: String) { relations(search: $s) { totalCount } }"""
READ_SNAPSHOT = """query($id: ID!) { snapshot(id: $id) { card bsn partnerBsn } }"""
FEED = """{ changes(first: 100) { id type payload } }"""


def person(last_name: str, bsn: str | int) -> dict[str, Any]:
    return {
        "partyType": "PERSON",
        "kinds": ["CLIENT"],
        "person": {"lastName": last_name, "bsn": bsn},
    }


def found_in(value: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The paths (list indexes left out) of every string holding one of the BSNs."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in found_in(v, (*path, str(k)))]
    if isinstance(value, list):
        return [p for v in value for p in found_in(v, path)]
    if isinstance(value, str) and any(bsn in value for bsn in BSNS):
        return [path]
    return []


def jwt_payload(token: str) -> str:
    part = token.split(".")[1]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()


class Reader:
    """Everything one signed-in employee is answered, kept to be searched afterwards."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token
        self.answers: list[Any] = []

    async def ask(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        answer = await gql(self.base, query, variables or {}, self.token)
        self.answers.append(answer)
        return answer

    def revealed(self) -> list[tuple[str, ...]]:
        return found_in(self.answers)


async def _table_rows(office: Office) -> list[tuple[str, str]]:
    """(table, row as text) for every row of every table of the office's database."""
    if office.engine == "sqlite":
        with sqlite3.connect(office.url[len("sqlite://") :]) as conn:
            query = "SELECT name FROM sqlite_master WHERE type = 'table'"
            tables = [r[0] for r in conn.execute(query)]
            return [(t, repr(row)) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"')]
    conn = await asyncpg.connect(office.url)
    try:
        query = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        tables = [r[0] for r in await conn.fetch(query)]
        return [(t, r[0]) for t in tables for r in await conn.fetch(f'SELECT t::text FROM "{t}" t')]
    finally:
        await conn.close()


async def _export(office: Office, snapshot_id: str, out: Path) -> str:
    """`relatiebeheer snapshot export` at DEBUG level: its whole output, and the files' text."""
    env = {**office.env, "RELATIEBEHEER_LOG_LEVEL": "DEBUG"}
    done = await asyncio.to_thread(
        subprocess.run,
        [*CLI, "snapshot", "export", snapshot_id, "--out", str(out)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    output = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 0, output[-2000:]
    assert "tortoise.db_client" in output  # DEBUG: the SQL and its parameters are in it
    files = await asyncio.to_thread(lambda: {f.suffix: f.read_text() for f in out.iterdir()})
    assert sorted(files) == [".html", ".json"]
    return output + "".join(files.values())


async def test_a_bsn_is_found_only_where_it_is_allowed(office, tmp_path):
    # Given: a server logging at DEBUG, delivering webhooks to two real receivers.
    plain = Receiver(secret=generate_secret(), script=[(500, {})]).start()
    allowed = Receiver(secret=generate_secret()).start()
    try:
        await _go_through_an_office_day(office, tmp_path, plain, allowed)
    finally:
        plain.stop()
        allowed.stop()


async def _staff_and_systems(
    base: str, plain: Receiver, allowed: Receiver
) -> tuple[dict[str, str], Reader, Reader]:
    """The two linked systems (name -> id), and a signed-in EMPLOYEE and MANAGER."""
    admin = await sign_in(base)
    systems = {}
    for name, receiver, allow in (("Boekhouding", plain, False), ("Aangifte IB", allowed, True)):
        found = await gql(base, REGISTER, {"i": {
            "name": name, "kind": "OTHER", "baseUrl": "https://systeem.example",
            "ssoAudience": f"https://{name[:4].lower()}.example", "webhookUrl": receiver.url,
            "webhookSecret": receiver.secret, "allowBsn": allow}}, admin)  # fmt: skip
        assert found["errors"] == []
        systems[name] = found["system"]["id"]
    readers = []
    for role in ("EMPLOYEE", "MANAGER"):
        email = f"{role.lower()}@kantoor.example"
        data = {"name": role.title(), "email": email, "role": role, "password": PASSWORD}
        made = await gql(base, CREATE_EMPLOYEE, {"i": data}, admin)
        assert made["errors"] == []
        readers.append(Reader(base, await sign_in(base, email, PASSWORD)))
    return systems, readers[0], readers[1]


async def _go_through_an_office_day(
    office: Office, tmp_path: Path, plain: Receiver, allowed: Receiver
) -> None:
    base, _ = await office.start(
        RELATIEBEHEER_LOG_LEVEL="DEBUG",
        RELATIEBEHEER_BACKGROUND_WORKERS="1",
        RELATIEBEHEER_WEBHOOK_RETRIES="0.2,0.2,0.5",
    )
    systems, employee, manager = await _staff_and_systems(base, plain, allowed)

    # When: an employee registers two partners with BSNs, then gives one a new BSN.
    jan = await employee.ask(CREATE, {"i": person("Berg", BSN_JAN)})
    partner = await employee.ask(CREATE, {"i": person("Bergsma", BSN_PARTNER)})
    assert jan["errors"] == partner["errors"] == []
    assert jan["relation"]["person"] == {"bsn": None, "bsnMasked": "*****2333"}
    jan_id, partner_id = jan["relation"]["id"], partner["relation"]["id"]
    assert (await employee.ask(PARTNER, {"a": jan_id, "b": partner_id}))["errors"] == []
    before_renumbering = await gql(
        base, "{ relations { edges { node { updatedAt } } } }", {}, employee.token
    )
    as_of = max(e["node"]["updatedAt"] for e in before_renumbering["edges"])
    await asyncio.sleep(0.05)
    renumbered = await employee.ask(
        UPDATE, {"id": jan_id, "i": {"person": {"lastName": "Berg", "bsn": BSN_JAN_LATER}}}
    )
    assert renumbered["errors"] == []
    # ... and gets refusals for a number that fails the elfproef and for one in use.
    refused = [
        await employee.ask(CREATE, {"i": person("Typo", NOT_A_BSN)}),
        await employee.ask(CREATE, {"i": person("Kopie", BSN_PARTNER)}),
    ]
    assert [e["code"] for r in refused for e in r["errors"]] == ["INVALID_BSN", "CONFLICT"]
    assert NOT_A_BSN not in json.dumps(refused)
    # ... and a BSN sent as a number, which GraphQL refuses (echoing it to its sender only).
    async with httpx.AsyncClient(timeout=30) as http:
        mistyped = await http.post(
            f"{base}/graphql",
            json={"query": CREATE, "variables": {"i": person("Getal", int(BSN_JAN))}},
            headers={"authorization": f"Bearer {employee.token}"},
        )
    assert mistyped.json()["data"] is None

    # ... both read everything, a manager takes a snapshot, the employee drills down.
    for reader in (employee, manager):
        await reader.ask(CARD_QUERY, {"id": jan_id, "from": None, "to": None})
        await reader.ask(REVEAL, {"id": jan_id, "asOf": None})
        await reader.ask(REVEAL, {"id": jan_id, "asOf": as_of})
        await reader.ask(HISTORY, {"id": jan_id})
        await reader.ask(LIST)
        assert (await reader.ask(SEARCH, {"s": BSN_JAN_LATER}))["totalCount"] == 0
    snapshot = await manager.ask(SNAPSHOT, {"id": jan_id})
    assert snapshot["errors"] == []
    snapshot_id = snapshot["snapshot"]["id"]
    for reader in (employee, manager):
        await reader.ask(READ_SNAPSHOT, {"id": snapshot_id})
        await reader.ask(HISTORY, {"id": jan_id})
    feed = await manager.ask(FEED)
    account = await employee.ask(LINK, {"r": jan_id, "s": systems["Aangifte IB"]})
    drill = await employee.ask(DRILL, {"id": account["account"]["id"]})
    drill_token = jwt_payload(drill["drillDown"]["token"])

    # Then: the API revealed BSNs only in the revealing fields, and only to the manager.
    assert employee.revealed() == []
    assert {path[-1] for path in manager.revealed()} == REVEALING_FIELDS
    manager_view = await gql(base, REVEAL, {"id": jan_id, "asOf": None}, manager.token)
    assert manager_view["person"]["bsn"] == BSN_JAN_LATER
    assert manager_view["partnership"]["partner"]["person"]["bsn"] == BSN_PARTNER
    assert (snapshot["snapshot"]["bsn"], snapshot["snapshot"]["partnerBsn"]) == (
        BSN_JAN_LATER, BSN_PARTNER
    )  # fmt: skip
    assert found_in(snapshot["snapshot"]["card"]) == []
    assert found_in(feed) == [] and len(feed) >= 4
    assert not any(bsn in drill_token + drill["drillDown"]["url"] for bsn in BSNS)

    # ... every event reached both systems; only the allowed one was told the BSNs.
    events = {e["id"] for e in feed}
    for _ in range(200):
        if events <= set(plain.accepted_ids()) and events <= set(allowed.accepted_ids()):
            break
        await asyncio.sleep(0.05)
    assert events <= set(plain.accepted_ids()) and events <= set(allowed.accepted_ids())
    assert found_in(plain.accepted_bodies()) == []
    told = json.dumps(allowed.accepted_bodies())
    assert BSN_JAN in told and BSN_JAN_LATER in told and BSN_PARTNER in told

    # ... the export for the audit file holds none, nor does anything it logged.
    exported = await _export(office, snapshot_id, tmp_path / "export")
    assert not any(bsn in exported for bsn in (*BSNS, NOT_A_BSN))

    # ... nor does anything the server wrote to stdout or stderr (all of it: it has stopped).
    await asyncio.to_thread(stop_servers, office.servers)
    log = office.log.read_text()
    assert "tortoise.db_client" in log and "INSERT INTO" in log  # DEBUG really was on
    leaked = [line for line in log.splitlines() if any(b in line for b in (*BSNS, NOT_A_BSN))]
    assert [line[:300] for line in leaked] == []

    # ... nor any row of any table: the allowed system's bodies are sealed at rest.
    rows = await _table_rows(office)
    assert {table for table, _ in rows} >= {"relation", "version", "change_event", "snapshot"}
    holding = [(t, r) for t, r in rows if any(bsn in r for bsn in (*BSNS, NOT_A_BSN))]
    assert [(t, r[:200]) for t, r in holding] == []
    assert any(t == "delivery" and SEALED in r for t, r in rows)  # the search does look there


async def test_debug_logs_hold_no_bsn_even_for_a_system_allowed_to_receive_it(office):
    base, _ = await office.start(RELATIEBEHEER_LOG_LEVEL="DEBUG")
    admin = await sign_in(base)
    registered = await gql(base, REGISTER, {"i": {
        "name": "Aangifte IB", "kind": "TAX_RETURNS", "baseUrl": "https://ib.example",
        "ssoAudience": "https://ib.example", "webhookUrl": "http://127.0.0.1:9/ib",
        "allowBsn": True}}, admin)  # fmt: skip
    assert registered["errors"] == []
    created = await gql(base, CREATE, {"i": person("Berg", BSN_JAN)}, admin)
    assert created["errors"] == []
    await asyncio.to_thread(stop_servers, office.servers)
    assert BSN_JAN not in office.log.read_text()
