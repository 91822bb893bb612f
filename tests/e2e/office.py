"""The demo office as browser tests see it: relations picked from the live API, and a rich
client card completed with what the demo seed leaves out (a linked system, custom fields,
an appointment, a snapshot). Everything goes through the public GraphQL API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from server.services.demo import DEMO_PASSWORD

DRILL_DOWN_BASE = "https://boekhouding.example.nl"
CUSTOM_FIELDS = (
    ("branche", "Branche", "TEXT"),
    ("werknemers", "Aantal werknemers", "NUMBER"),
    ("jaarwerk_klaar", "Jaarwerk afgerond", "BOOLEAN"),
)

SEARCH = """query($filter: RelationFilter, $after: String) {
  relations(filter: $filter, first: 50, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { id } } } }"""
CARD = """query($id: ID!, $from: DateTime, $to: DateTime) { relation(id: $id) {
  id number displayName partyType legalForm kinds person { bsnMasked } organisation { kvkNumber }
  contacts { id displayName email isPrimary } links { id type to { id displayName } }
  group { holder { id displayName } subsidiary { id displayName } }
  staff { role employee { id name } } accounts { id externalId system { name } }
  appointments(from: $from, to: $to) { id title }
  customFields { definition { key label group } value }
  snapshots { id reason } partnership { partner { id displayName } } } }"""


class Api:
    """A signed-in GraphQL client against the live server."""

    def __init__(self, base: str, client: httpx.AsyncClient, token: str) -> None:
        self.base, self.client, self.token = base, client, token

    @classmethod
    async def sign_in(cls, base: str, client: httpx.AsyncClient, email: str) -> Api:
        api = cls(base, client, "")
        data = await api.gql(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) {"
            " session { accessToken } errors { code } } }",
            {"e": email, "p": DEMO_PASSWORD},
        )
        api.token = data["login"]["session"]["accessToken"]
        return api

    async def gql(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.client.post(
            f"{self.base}/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=30,
        )
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def mutate(self, query: str, variables: dict[str, Any], root: str) -> Any:
        payload = (await self.gql(query, variables))[root]
        assert payload["errors"] == [], payload["errors"]
        return payload

    async def card(self, relation_id: str) -> dict[str, Any]:
        now = datetime.now(UTC)
        window = {"from": now.isoformat(), "to": (now + timedelta(days=90)).isoformat()}
        return (await self.gql(CARD, {"id": relation_id, **window}))["relation"]

    async def relation_ids(self, filter_: dict[str, Any]) -> list[str]:
        data = await self.gql(SEARCH, {"filter": filter_})
        return [edge["node"]["id"] for edge in data["relations"]["edges"]]


@dataclass(frozen=True)
class Office:
    """The relations the browser tests use, as the API returned them."""

    rich: dict[str, Any]  # a BV client with contacts, links, a group and staff, completed
    person: dict[str, Any]  # a person client with a BSN on record
    bsn: str  # that person's full BSN, as a PARTNER reads it


async def find_office(base: str) -> Office:
    async with httpx.AsyncClient() as client:
        api = await Api.sign_in(base, client, "anna@demo-kantoor.nl")
        rich = await _rich_client(api)
        await complete_card(api, rich)
        person = await _person_with_bsn(api)
        data = await api.gql(
            "query($id: ID!) { relation(id: $id) { person { bsn } } }", {"id": person["id"]}
        )
        return Office(await api.card(rich["id"]), person, data["relation"]["person"]["bsn"])


async def _rich_client(api: Api) -> dict[str, Any]:
    for relation_id in await api.relation_ids({"kinds": ["CLIENT"], "legalForm": "BV"}):
        card = await api.card(relation_id)
        full = all(card[key] for key in ("contacts", "links", "group", "staff"))
        if full and any(c["email"] for c in card["contacts"]):
            return card
    raise AssertionError("the demo office has no BV client with contacts, links, group, staff")


async def _person_with_bsn(api: Api) -> dict[str, Any]:
    for relation_id in await api.relation_ids({"kinds": ["CLIENT"], "partyType": "PERSON"}):
        card = await api.card(relation_id)
        if card["person"]["bsnMasked"]:
            return card
    raise AssertionError("the demo office has no person client with a BSN")


async def complete_card(api: Api, card: dict[str, Any]) -> None:
    """Give the card what the seed leaves out: an account, custom fields, an appointment
    and a snapshot (idempotent per server: a second call adds nothing)."""
    if card["accounts"]:
        return
    rid = card["id"]
    system = await api.mutate(
        "mutation($i: LinkedSystemInput!) { registerLinkedSystem(input: $i) {"
        " system { id } errors { field code message } } }",
        {
            "i": {
                "name": "Boekhouding Online",
                "kind": "BOOKKEEPING",
                "baseUrl": DRILL_DOWN_BASE,
                "ssoAudience": DRILL_DOWN_BASE,
            }
        },
        "registerLinkedSystem",
    )
    await api.mutate(
        "mutation($r: ID!, $s: ID!) { linkAccount(relationId: $r, systemId: $s,"
        ' externalId: "ADM-4471") { account { id } errors { field code message } } }',
        {"r": rid, "s": system["system"]["id"]},
        "linkAccount",
    )
    for key, label, kind in CUSTOM_FIELDS:
        await api.mutate(
            "mutation($i: CustomFieldDefinitionInput!) { defineCustomField(input: $i) {"
            " definition { id } errors { field code message } } }",
            {
                "i": {
                    "key": key,
                    "label": label,
                    "target": "RELATION",
                    "type": kind,
                    "group": "Dossier",
                }
            },
            "defineCustomField",
        )
    await api.mutate(
        "mutation($r: ID!, $v: [CustomFieldValueInput!]!) { setCustomFields(relationId: $r,"
        " values: $v) { relation { id } errors { field code message } } }",
        {
            "r": rid,
            "v": [
                {"key": "branche", "value": "Horeca"},
                {"key": "werknemers", "value": 14},
                {"key": "jaarwerk_klaar", "value": False},
            ],
        },
        "setCustomFields",
    )
    await _describe_first_contact(api, card)
    await _plan_appointment(api, card)
    await api.mutate(
        "mutation($r: ID!) { createSnapshot(relationId: $r, reason: "
        '"Jaarafsluiting 2025") { snapshot { id } errors { field code message } } }',
        {"r": rid},
        "createSnapshot",
    )


async def _describe_first_contact(api: Api, card: dict[str, Any]) -> None:
    await api.mutate(
        "mutation($i: CustomFieldDefinitionInput!) { defineCustomField(input: $i) {"
        " definition { id } errors { field code message } } }",
        {
            "i": {
                "key": "bereikbaar",
                "label": "Bereikbaar op",
                "target": "CONTACT_PERSON",
                "type": "TEXT",
            }
        },
        "defineCustomField",
    )
    await api.mutate(
        "mutation($id: ID!, $i: ContactPersonInput!) { updateContactPerson(id: $id, input: $i) {"
        " contact { id } errors { field code message } } }",
        {
            "id": card["contacts"][0]["id"],
            "i": {"customFields": [{"key": "bereikbaar", "value": "dinsdag en donderdag"}]},
        },
        "updateContactPerson",
    )


async def _plan_appointment(api: Api, card: dict[str, Any]) -> None:
    start = (datetime.now(UTC) + timedelta(days=7)).replace(hour=9, minute=0, second=0)
    await api.mutate(
        "mutation($i: AppointmentInput!) { createAppointment(input: $i) {"
        " appointment { id } errors { field code message } } }",
        {
            "i": {
                "title": "Jaarrekening 2025 bespreken",
                "location": "Kantoor Utrecht",
                "start": start.isoformat(),
                "end": (start + timedelta(hours=1)).isoformat(),
                "relationId": card["id"],
                "contactIds": [card["contacts"][0]["id"]],
                "employeeIds": [card["staff"][0]["employee"]["id"]],
            }
        },
        "createAppointment",
    )
