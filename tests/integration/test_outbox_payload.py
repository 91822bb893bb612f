"""What the outbox writes: which systems get a delivery, and what its body says (no BSN)."""

from __future__ import annotations

import json

from server.models import ChangeEvent, Delivery, Relation
from server.services.linked_accounts import link_account
from server.services.linked_systems import deactivate_linked_system
from server.services.outbox import delivery_body
from tests.integration.helpers import (
    ADMIN,
    create_relation,
    eventually,
    register,
    rename_relation,
)

BSN = "111222333"
BSN_COLUMNS = ("bsn_encrypted", "bsn_index", "bsn_last_digits")


async def test_a_change_fans_out_to_each_active_system_with_a_webhook_url(db):
    delivering, _ = await register(ADMIN, "http://127.0.0.1:9/a", name="A")
    await register(ADMIN, None, name="Without webhook")
    stopped, _ = await register(ADMIN, "http://127.0.0.1:9/c", name="Stopped")
    await deactivate_linked_system(ADMIN, stopped)

    await create_relation(ADMIN, "Bouwbedrijf Hoog BV")

    rows = await Delivery.all().values("system_id", "state", "attempts")
    assert [(str(r["system_id"]), r["state"], r["attempts"]) for r in rows] == [
        (delivering, "PENDING", 0)
    ]


async def test_the_body_names_the_relation_its_external_id_and_the_change(db):
    system_id, _ = await register(ADMIN, "http://127.0.0.1:9/a")
    relation_id = await create_relation(ADMIN, "Timmerfabriek BV")
    await link_account(ADMIN, relation_id, system_id, "BK-001")

    await rename_relation(ADMIN, relation_id, "Timmerfabriek Holding BV")

    event = await ChangeEvent.filter(type="relation.updated").get()
    delivery = await Delivery.get(event_id=event.sequence)
    body = json.loads(delivery.body)
    number = (await Relation.get(id=relation_id)).number
    assert body["id"] == str(event.id)
    assert body["type"] == "relation.updated"
    assert body["timestamp"] == event.occurred_at.isoformat()
    data = body["data"]
    assert (data["relationId"], data["relationNumber"], data["externalId"]) == (
        relation_id,
        number,
        "BK-001",
    )
    assert (data["entity"], data["entityId"]) == ("relation", relation_id)
    assert data["changes"]["display_name"] == ["Timmerfabriek BV", "Timmerfabriek Holding BV"]
    assert data["data"]["display_name"] == "Timmerfabriek Holding BV"


async def test_no_bsn_reaches_a_system_unless_it_is_allowed_to_receive_it(db):
    plain, _ = await register(ADMIN, "http://127.0.0.1:9/plain", name="Portaal")
    allowed, _ = await register(
        ADMIN, "http://127.0.0.1:9/ib", name="Aangifte IB", kind="TAX_RETURNS", allowBsn=True
    )

    await create_relation(ADMIN, "Jansen", bsn=BSN)

    plain_body = (await Delivery.get(system_id=plain)).body
    for secret in (BSN, *BSN_COLUMNS, '"bsn"'):
        assert secret not in plain_body
    stored = (await Delivery.get(system_id=allowed)).body
    assert BSN not in stored  # kept encrypted at rest; opened only to be sent
    allowed_body = json.loads(delivery_body(stored))["data"]
    assert allowed_body["data"]["bsn"] == BSN
    assert allowed_body["changes"]["bsn"] == [None, BSN]
    keys = set(allowed_body["data"]) | set(allowed_body["changes"])
    assert not keys & set(BSN_COLUMNS)


async def test_the_bsn_allowed_system_receives_it_over_the_wire(dispatcher, receivers):
    receiver = receivers()
    _, receiver.secret = await register(ADMIN, receiver.url, allowBsn=True)

    await create_relation(ADMIN, "De Vries", bsn=BSN)

    await eventually(lambda: len(receiver.accepted) == 1)
    assert receiver.accepted_bodies()[0]["data"]["data"]["bsn"] == BSN
