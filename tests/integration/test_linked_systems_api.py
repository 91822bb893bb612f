"""Registering linked systems, linking accounts and the card's accounts, over GraphQL."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from server.auth import secretbox
from server.models import Delivery, LinkedAccount, LinkedSystem, Version
from tests.factories import make_employee
from tests.integration.helpers import ADMIN, create_relation, eventually, rename_relation

ERRORS = "errors { field code message }"
SYSTEM = "id name kind baseUrl ssoAudience webhookUrl active urlTemplate allowBsn disabledReason"
REGISTER = f"""mutation($i: LinkedSystemInput!) {{ registerLinkedSystem(input: $i) {{
  system {{ {SYSTEM} }} webhookSecret {ERRORS} }} }}"""
UPDATE = f"""mutation($id: ID!, $i: LinkedSystemUpdateInput!) {{
  updateLinkedSystem(id: $id, input: $i) {{
  system {{ {SYSTEM} }} webhookSecret {ERRORS} }} }}"""
SYSTEMS = f"{{ linkedSystems {{ {SYSTEM} }} }}"
LINK = f"""mutation($r: ID!, $s: ID!, $x: String!) {{
  linkAccount(relationId: $r, systemId: $s, externalId: $x) {{
    account {{ id externalId syncState system {{ name }} relation {{ id }} }} {ERRORS} }} }}"""
ACCOUNTS = """query($id: ID!) { relation(id: $id) { accounts { externalId syncState
  system { name } } } }"""
INPUT = {
    "name": "Boekhouding Online",
    "kind": "BOOKKEEPING",
    "baseUrl": "https://boekhouding.example/",
    "ssoAudience": "https://boekhouding.example",
    "webhookUrl": "https://boekhouding.example/hooks/relatiebeheer",
}


async def test_an_admin_registers_a_system_and_sees_the_generated_secret_once(api):
    admin = await make_employee("ADMIN")

    data = (await api.gql(REGISTER, {"i": INPUT}, token=admin.token))["registerLinkedSystem"]

    assert data["errors"] == []
    system, secret = data["system"], data["webhookSecret"]
    assert system["name"] == "Boekhouding Online"
    assert system["baseUrl"] == "https://boekhouding.example"
    assert system["urlTemplate"] == "{baseUrl}/relations/{externalId}"
    assert (system["active"], system["allowBsn"], system["disabledReason"]) == (True, False, None)
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    stored = await LinkedSystem.get(id=system["id"])
    assert stored.webhook_secret_encrypted != secret
    assert secretbox.decrypt(stored.webhook_secret_encrypted or "") == secret
    listed = await api.gql(SYSTEMS, token=admin.token)
    assert listed["linkedSystems"] == [system]
    version = await Version.get(entity="linked_system", entity_id=system["id"])
    assert "webhook_secret_encrypted" not in (version.state or {})
    assert secret not in str(version.state) + str(version.changes)


async def test_a_secret_given_by_the_admin_is_kept_and_not_echoed(api):
    admin = await make_employee("ADMIN")
    secret = "whsec_" + base64.b64encode(b"k" * 24).decode()

    data = await api.gql(REGISTER, {"i": {**INPUT, "webhookSecret": secret}}, token=admin.token)

    payload = data["registerLinkedSystem"]
    assert payload["webhookSecret"] is None
    stored = await LinkedSystem.get(id=payload["system"]["id"])
    assert secretbox.decrypt(stored.webhook_secret_encrypted or "") == secret


async def test_bad_input_is_refused_field_by_field_and_nothing_is_written(api):
    admin = await make_employee("ADMIN")
    bad = {
        **INPUT,
        "baseUrl": "ftp://boekhouding.example",
        "webhookUrl": "javascript:alert(1)",
        "webhookSecret": "whsec_dG9vLXNob3J0",
        "ssoAudience": "relatiebeheer",
        "urlTemplate": "{baseUrl}/r/{bsn}",
    }

    data = await api.gql(REGISTER, {"i": bad}, token=admin.token)

    errors = data["registerLinkedSystem"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        (["input", "baseUrl"], "INVALID_URL"),
        (["input", "ssoAudience"], "INVALID"),
        (["input", "webhookUrl"], "INVALID_URL"),
        (["input", "urlTemplate"], "INVALID"),
        (["input", "webhookSecret"], "INVALID"),
    ]
    assert "dG9vLXNob3J0" not in str(errors)
    assert data["registerLinkedSystem"]["system"] is None
    assert await LinkedSystem.all().count() == 0


async def test_only_an_admin_manages_linked_systems(api):
    manager = await make_employee("MANAGER")

    data = await api.gql(REGISTER, {"i": INPUT}, token=manager.token)

    assert data["registerLinkedSystem"]["errors"][0]["code"] == "FORBIDDEN"
    assert data["registerLinkedSystem"]["webhookSecret"] is None
    assert await LinkedSystem.all().count() == 0


async def test_an_admin_regenerates_the_secret_and_deactivates_a_system(api):
    admin = await make_employee("ADMIN")
    first = (await api.gql(REGISTER, {"i": INPUT}, token=admin.token))["registerLinkedSystem"]
    system_id = first["system"]["id"]
    await create_relation(ADMIN, "Transport BV")

    renewed = await api.gql(
        UPDATE, {"id": system_id, "i": {"regenerateWebhookSecret": True}}, token=admin.token
    )
    stopped = await api.gql(UPDATE, {"id": system_id, "i": {"active": False}}, token=admin.token)

    secret = renewed["updateLinkedSystem"]["webhookSecret"]
    assert secret.startswith("whsec_") and secret != first["webhookSecret"]
    system = stopped["updateLinkedSystem"]["system"]
    assert (system["active"], system["disabledReason"]) == (
        False,
        "Deactivated by an administrator.",
    )
    assert stopped["updateLinkedSystem"]["webhookSecret"] is None
    assert await Delivery.filter(system_id=system_id).values_list("state", flat=True) == [
        "CANCELLED"
    ]


async def test_an_account_links_a_relation_once_per_system_and_id(api):
    admin = await make_employee("ADMIN")
    employee = await make_employee("EMPLOYEE")
    system_id = (await api.gql(REGISTER, {"i": INPUT}, token=admin.token))["registerLinkedSystem"][
        "system"
    ]["id"]
    bakery = await create_relation(ADMIN, "Bakkerij BV")
    butcher = await create_relation(ADMIN, "Slagerij BV")

    linked = await api.gql(LINK, {"r": bakery, "s": system_id, "x": "BK-7"}, token=employee.token)
    taken = await api.gql(LINK, {"r": butcher, "s": system_id, "x": "BK-7"}, token=employee.token)
    again = await api.gql(LINK, {"r": bakery, "s": system_id, "x": "BK-8"}, token=employee.token)
    unknown = await api.gql(
        LINK, {"r": "not-an-id", "s": system_id, "x": "BK-9"}, token=employee.token
    )

    account = linked["linkAccount"]["account"]
    assert (account["externalId"], account["system"]["name"], account["relation"]["id"]) == (
        "BK-7",
        "Boekhouding Online",
        bakery,
    )
    assert [(e["field"], e["code"]) for e in taken["linkAccount"]["errors"]] == [
        (["externalId"], "CONFLICT")
    ]
    assert [(e["field"], e["code"]) for e in again["linkAccount"]["errors"]] == [
        (["systemId"], "CONFLICT")
    ]
    assert [(e["field"], e["code"]) for e in unknown["linkAccount"]["errors"]] == [
        (["relationId"], "NOT_FOUND")
    ]
    assert await LinkedAccount.all().count() == 1


async def _sync_state(api, token: str, relation_id: str) -> str:
    data = await api.gql(ACCOUNTS, {"id": relation_id}, token=token)
    (account,) = data["relation"]["accounts"]
    return account["syncState"]


async def test_the_card_shows_each_account_with_its_sync_state(api, dispatcher, receivers):
    admin = await make_employee("ADMIN")
    receiver = receivers(script=[(500, {})] * 4)
    system = (
        await api.gql(REGISTER, {"i": {**INPUT, "webhookUrl": receiver.url}}, token=admin.token)
    )["registerLinkedSystem"]
    receiver.secret = system["webhookSecret"]
    relation_id = await create_relation(ADMIN, "Kapsalon BV")
    await eventually(lambda: len(receiver.hits) == 4)
    await api.gql(
        LINK, {"r": relation_id, "s": system["system"]["id"], "x": "K-1"}, token=admin.token
    )

    # Four failed attempts: the next is 10 hours away.
    await eventually(lambda: Delivery.filter(attempts=4).exists())
    assert await _sync_state(api, admin.token, relation_id) == "FAILING"

    await Delivery.all().update(next_attempt_at=datetime.now(UTC))
    await eventually(lambda: Delivery.filter(state="DELIVERED").exists())
    assert await _sync_state(api, admin.token, relation_id) == "UP_TO_DATE"


async def test_a_change_waiting_for_its_first_attempt_is_pending(api):
    admin = await make_employee("ADMIN")
    system = (await api.gql(REGISTER, {"i": INPUT}, token=admin.token))["registerLinkedSystem"]
    relation_id = await create_relation(ADMIN, "Bloemist BV")
    await api.gql(
        LINK, {"r": relation_id, "s": system["system"]["id"], "x": "B-1"}, token=admin.token
    )
    await Delivery.all().update(state="DELIVERED")
    assert await _sync_state(api, admin.token, relation_id) == "UP_TO_DATE"

    await rename_relation(ADMIN, relation_id, "Bloemist Holding BV")

    assert await _sync_state(api, admin.token, relation_id) == "PENDING"


async def test_the_card_as_it_was_shows_the_accounts_linked_then(api):
    admin = await make_employee("ADMIN")
    system = (await api.gql(REGISTER, {"i": INPUT}, token=admin.token))["registerLinkedSystem"]
    relation_id = await create_relation(ADMIN, "Notariskantoor BV")
    before_link = datetime.now(UTC)
    await api.gql(
        LINK, {"r": relation_id, "s": system["system"]["id"], "x": "N-1"}, token=admin.token
    )
    query = """query($id: ID!, $at: DateTime) { relation(id: $id, asOf: $at) {
      accounts { externalId system { name } } } }"""

    then = await api.gql(
        query, {"id": relation_id, "at": before_link.isoformat()}, token=admin.token
    )
    now = await api.gql(query, {"id": relation_id, "at": None}, token=admin.token)

    assert then["relation"]["accounts"] == []
    assert now["relation"]["accounts"] == [
        {"externalId": "N-1", "system": {"name": "Boekhouding Online"}}
    ]


async def test_control_characters_are_refused_not_stored(api):
    admin = await make_employee("ADMIN")
    bad = {**INPUT, "name": "Boek\x00houding", "ssoAudience": "aud\nience"}

    data = await api.gql(REGISTER, {"i": bad}, token=admin.token)

    assert [(e["field"], e["code"]) for e in data["registerLinkedSystem"]["errors"]] == [
        (["input", "name"], "INVALID"),
        (["input", "ssoAudience"], "INVALID"),
    ]
    assert await LinkedSystem.all().count() == 0
