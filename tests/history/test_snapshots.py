"""createSnapshot freezes the whole card into one office-wide SHA-256 chain."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from pathlib import Path

import pytest

from server.auth import secretbox
from server.models import AuditEntry, Snapshot
from server.services import snapshots
from tests.factories import make_employee
from tests.history import helpers as h

CREATE = """mutation($id: ID!, $reason: String!) {
  createSnapshot(relationId: $id, reason: $reason) {
    snapshot { id position takenAt reason card contentHash previousHash takenBy { name }
               relation { id } }
    errors { field code message }
  }
}"""
SNAPSHOT = """query($id: ID!) { snapshot(id: $id) {
  id reason card contentHash previousHash bsn partnerBsn takenBy { name } } }"""
LIST = "query($id: ID!) { relation(id: $id) { snapshots { id reason contentHash } } }"
VERIFY = "{ verifySnapshots { ok checked firstBrokenSnapshotId headHash } }"


def test_the_frozen_card_is_exactly_the_contracts_relation_card_operation():
    root = Path(__file__).parents[2]
    contract = Path(os.environ.get("RELATIEBEHEER_CONTRACT_DIR", root.parent / "shared/contract"))
    operation = contract / "operations" / "RelationCard.graphql"
    if not operation.exists():
        pytest.skip(f"contract not found at {contract}")

    assert operation.read_text(encoding="utf-8") == snapshots.CARD_QUERY


def sha256(card: dict, previous: str | None) -> str:
    text = json.dumps(card, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode() + (previous or "").encode()).hexdigest()


async def _create(api, token, relation_id, reason="Controle jaarrekening 2025"):
    data = await api.gql(CREATE, {"id": relation_id, "reason": reason}, token=token)
    return data["createSnapshot"]


async def test_a_snapshot_holds_the_whole_card_as_the_card_query_answers_it(api):
    employee = await make_employee("EMPLOYEE", name="Piet Medewerker")
    bakery = await h.make_relation(employee.actor, "Bakkerij Vast B.V.")
    await h.add_address(employee.actor, bakery, "Oudegracht")
    await h.add_contact(employee.actor, bakery, "Jansen", first_name="Anna")
    window = {"from": "2020-01-01T00:00:00+00:00", "to": "2040-01-01T00:00:00+00:00"}
    live = await api.gql(h.card_query(with_as_of=False), {"id": bakery, **window}, employee.token)

    payload = await _create(api, employee.token, bakery)

    snapshot = payload["snapshot"]
    assert payload["errors"] == []
    assert snapshot["card"] == live
    assert snapshot["card"]["relation"]["addresses"][0]["street"] == "Oudegracht"
    assert snapshot["reason"] == "Controle jaarrekening 2025"
    assert snapshot["takenBy"] == {"name": "Piet Medewerker"}
    assert snapshot["relation"] == {"id": bakery}
    assert snapshot["position"] == 1
    assert snapshot["previousHash"] is None
    assert snapshot["contentHash"] == sha256(live, None)


async def test_every_snapshot_is_chained_to_the_one_before_across_relations(api):
    manager = await make_employee("MANAGER")
    first = await h.make_relation(manager.actor, "Eerste B.V.")
    second = await h.make_relation(manager.actor, "Tweede B.V.")

    one = (await _create(api, manager.token, first))["snapshot"]
    two = (await _create(api, manager.token, second))["snapshot"]
    three = (await _create(api, manager.token, first, "Wwft-dossier"))["snapshot"]

    assert [one["position"], two["position"], three["position"]] == [1, 2, 3]
    assert two["previousHash"] == one["contentHash"]
    assert three["previousHash"] == two["contentHash"]
    assert three["contentHash"] == sha256(three["card"], two["contentHash"])
    # The card of the third already lists the first snapshot of the same relation.
    assert [s["id"] for s in three["card"]["relation"]["snapshots"]] == [one["id"]]
    listed = (await api.gql(LIST, {"id": first}, manager.token))["relation"]["snapshots"]
    assert [s["id"] for s in listed] == [three["id"], one["id"]]
    verification = (await api.gql(VERIFY, token=manager.token))["verifySnapshots"]
    assert verification == {
        "ok": True,
        "checked": 3,
        "firstBrokenSnapshotId": None,
        "headHash": three["contentHash"],
    }


async def test_concurrent_snapshots_form_one_unbroken_chain(db):
    from server.resolvers.history import render_card

    admin = await make_employee("ADMIN")
    bakery = await h.make_relation(admin.actor, "Bakkerij Druk B.V.")

    await asyncio.gather(
        *(
            snapshots.create_snapshot(admin.actor, bakery, f"reden {n}", render_card)
            for n in range(6)
        )
    )

    positions = await Snapshot.all().order_by("position").values_list("position", flat=True)
    assert positions == [1, 2, 3, 4, 5, 6]
    assert await snapshots.verify_chain() == snapshots.Verification(
        True, 6, None, (await Snapshot.get(position=6)).content_hash
    )


async def test_a_snapshot_needs_a_reason_and_an_existing_relation_and_stores_nothing_else(api):
    employee = await make_employee("EMPLOYEE")
    bakery = await h.make_relation(employee.actor, "Bakkerij Leeg B.V.")

    blank = await _create(api, employee.token, bakery, "   ")
    unknown = await _create(api, employee.token, "5f0c3b5e-0000-4000-8000-000000000000")
    garbage = await _create(api, employee.token, "not-an-id")
    too_long = await _create(api, employee.token, bakery, "x" * 2001)

    assert blank == {
        "snapshot": None,
        "errors": [
            {"field": ["reason"], "code": "REQUIRED", "message": blank["errors"][0]["message"]}
        ],
    }
    assert [e["code"] for e in unknown["errors"]] == ["NOT_FOUND"]
    assert unknown["errors"][0]["field"] == ["relationId"]
    assert [e["code"] for e in garbage["errors"]] == ["NOT_FOUND"]
    assert [(e["field"], e["code"]) for e in too_long["errors"]] == [(["reason"], "LIMIT")]
    assert await Snapshot.all().count() == 0


async def test_bsns_in_a_snapshot_follow_the_live_rule_and_every_read_is_audited(api):
    manager = await make_employee("MANAGER")
    employee = await make_employee("EMPLOYEE")
    bsn = {"bsn_encrypted": secretbox.encrypt("111222333"), "bsn_last_digits": "333"}
    person = await h.make_relation(manager.actor, "J. Jansen", last_name="Jansen", **bsn)
    partner = await h.make_relation(
        manager.actor,
        "M. Jansen",
        last_name="Jansen",
        bsn_encrypted=secretbox.encrypt("123456782"),
        bsn_last_digits="782",
    )
    await h.create(
        manager.actor, "partnership", person_a_id=person, person_b_id=partner, type="MARRIED"
    )
    created = (await _create(api, employee.token, person))["snapshot"]

    stored = await Snapshot.get(id=created["id"])
    as_employee = (await api.gql(SNAPSHOT, {"id": created["id"]}, employee.token))["snapshot"]
    audits_before = await AuditEntry.all().count()
    as_manager = (await api.gql(SNAPSHOT, {"id": created["id"]}, manager.token))["snapshot"]

    assert "111222333" not in stored.card and "123456782" not in stored.card
    assert created["card"]["relation"]["person"]["bsnMasked"] == "*****333"
    assert (as_employee["bsn"], as_employee["partnerBsn"]) == (None, None)
    assert audits_before == 0
    assert (as_manager["bsn"], as_manager["partnerBsn"]) == ("111222333", "123456782")
    audits = await AuditEntry.all().order_by("id").values("action", "relation_id", "actor_id")
    assert sorted(str(a["relation_id"]) for a in audits) == sorted([person, partner])
    assert {(a["action"], str(a["actor_id"])) for a in audits} == {("READ_BSN", manager.id)}


async def test_only_partners_managers_and_admins_verify_the_chain(api):
    employee = await make_employee("EMPLOYEE")

    response = await api.post(VERIFY, token=employee.token)

    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_unknown_snapshot_id_answers_null(api):
    employee = await make_employee("EMPLOYEE")

    unknown = await api.gql(
        SNAPSHOT, {"id": "5f0c3b5e-0000-4000-8000-000000000000"}, employee.token
    )
    garbage = await api.gql(SNAPSHOT, {"id": "nope"}, employee.token)

    assert unknown == {"snapshot": None} and garbage == {"snapshot": None}
