"""Snapshots are append-only: triggers refuse changes, and tampering is detected."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from tortoise.connection import get_connection
from tortoise.exceptions import BaseORMException

from server.models import Snapshot
from server.schema import get_schema
from server.services import snapshots
from tests.factories import make_employee
from tests.history import helpers as h

CREATE = """mutation($id: ID!, $reason: String!) {
  createSnapshot(relationId: $id, reason: $reason) { snapshot { id contentHash } errors { code } }
}"""
VERIFY = "{ verifySnapshots { ok checked firstBrokenSnapshotId } }"


async def _three_snapshots(api, token, actor):
    bakery = await h.make_relation(actor, "Bakkerij Keten B.V.")
    await h.add_address(actor, bakery, "Oudegracht")
    made = []
    for reason in ("Eerste controle", "Tweede controle", "Derde controle"):
        data = await api.gql(CREATE, {"id": bakery, "reason": reason}, token=token)
        made.append(data["createSnapshot"]["snapshot"])
    return made


async def _tamper(engine, sql: str) -> None:
    """Change the table behind the triggers' back, as an intruder with database access would."""
    connection = get_connection("default")
    if engine.is_postgres:
        replica, default = (
            "session_replication_role = replica",
            "session_replication_role = DEFAULT",
        )
        await connection.execute_script(f"SET {replica}; {sql}; SET {default};")
    else:
        await connection.execute_script(f"DROP TRIGGER snapshot_refuse_update; {sql};")


async def _cli(engine, *args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    env = {**os.environ, "DATABASE_URL": engine.url, "RELATIEBEHEER_LOG_LEVEL": "WARNING"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", "snapshot", *args,
        env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def test_the_database_refuses_to_update_or_delete_a_snapshot(api, db):
    admin = await make_employee("ADMIN")
    [first, *_] = await _three_snapshots(api, admin.token, admin.actor)
    connection = get_connection("default")

    with pytest.raises(BaseORMException, match="immutable"):
        await connection.execute_script("UPDATE snapshot SET reason = 'anders' WHERE position = 1")
    with pytest.raises(BaseORMException, match="immutable"):
        await Snapshot.filter(id=first["id"]).update(card="{}")
    with pytest.raises(BaseORMException, match="immutable"):
        await connection.execute_script("DELETE FROM snapshot")
    with pytest.raises(BaseORMException, match="immutable"):
        await (await Snapshot.get(id=first["id"])).delete()

    rows = await Snapshot.all().order_by("position").values("reason", "content_hash")
    assert [r["reason"] for r in rows] == ["Eerste controle", "Tweede controle", "Derde controle"]
    assert rows[0]["content_hash"] == first["contentHash"]


def test_no_api_operation_changes_or_deletes_a_snapshot():
    mutations = get_schema()._schema.mutation_type.fields

    assert [name for name in mutations if "snapshot" in name.lower()] == ["createSnapshot"]


async def test_a_snapshot_altered_in_the_database_is_named_by_verify_and_the_cli(api, db):
    manager = await make_employee("MANAGER")
    made = await _three_snapshots(api, manager.token, manager.actor)
    assert await _cli(db, "verify") == (
        0,
        f"snapshot chain ok: 3 verified, head {made[2]['contentHash']}\n",
        "",
    )

    await _tamper(db, "UPDATE snapshot SET card = replace(card, 'Oudegracht', 'Damrak') "
                      "WHERE position = 2")  # fmt: skip

    verification = (await api.gql(VERIFY, token=manager.token))["verifySnapshots"]
    assert verification == {"ok": False, "checked": 2, "firstBrokenSnapshotId": made[1]["id"]}
    code, out, err = await _cli(db, "verify")
    assert (code, out) == (1, "")
    assert err == f"error: snapshot chain broken at snapshot {made[1]['id']} (2 checked)\n"


async def test_a_rewritten_hash_breaks_the_chain_at_the_next_snapshot(api, db):
    manager = await make_employee("MANAGER")
    made = await _three_snapshots(api, manager.token, manager.actor)
    forged = snapshots.chain_hash('{"relation":null}', made[0]["contentHash"])

    await _tamper(
        db,
        f"UPDATE snapshot SET card = '{{\"relation\":null}}', content_hash = '{forged}' "
        "WHERE position = 2",
    )

    verification = (await api.gql(VERIFY, token=manager.token))["verifySnapshots"]
    assert verification == {"ok": False, "checked": 3, "firstBrokenSnapshotId": made[2]["id"]}


async def test_export_writes_the_snapshot_as_json_and_a_readable_page(api, db, tmp_path):
    employee = await make_employee("EMPLOYEE", name="Karin de Wit")
    [first, second, _] = await _three_snapshots(api, employee.token, employee.actor)

    code, _, err = await _cli(db, "export", second["id"], "--out", str(tmp_path / "dossier"))

    assert (code, err) == (0, "")
    document = json.loads((tmp_path / "dossier" / f"{second['id']}.json").read_text())
    page = (tmp_path / "dossier" / f"{second['id']}.html").read_text()
    assert document["reason"] == "Tweede controle"
    assert document["taken_by"]["name"] == "Karin de Wit"
    assert (document["content_hash"], document["previous_hash"]) == (
        second["contentHash"],
        first["contentHash"],
    )
    assert document["hash_matches_card"] is True
    assert document["card"]["relation"]["addresses"][0]["street"] == "Oudegracht"
    expected = ["Tweede controle", "Karin de Wit", second["contentHash"], first["contentHash"]]
    for text in [*expected, "Adressen", "Contactpersonen", "Oudegracht"]:
        assert text in page
    assert "<script" not in page and "http" not in page.split("</style>")[0]


async def test_export_of_an_unknown_snapshot_fails_and_writes_nothing(db, tmp_path):
    out_dir = tmp_path / "dossier"
    code, out, err = await _cli(
        db, "export", "5f0c3b5e-0000-4000-8000-000000000000", "--out", str(out_dir)
    )

    assert (code, out) == (1, "")
    assert err == "error: No snapshot with this id.\n"
    assert not out_dir.exists()
