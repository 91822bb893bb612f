"""Hunting stale cards: writes through the API to anything a `relation(id:)` query can show,
beyond the contract's RelationCard, each checked against the same query built without cache.

Each test looks at a query until the cache answers it, makes one write, and asserts that
the next answer over HTTP equals the query executed afresh.
"""

# ruff: noqa: F811 (the shared `cockpit` fixture, imported, is named by each test)

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from strawberry.http import process_result

from server.card_cache import get_cache
from server.context import Context
from server.schema import get_schema
from server.services import graph
from tests.api.card_data import SMALL, build_card
from tests.api.test_card_cache import ERRORS, Cockpit, cockpit  # noqa: F401

CREATE = f"""mutation($i: RelationInput!) {{ createRelation(input: $i) {{
  relation {{ id }} {ERRORS} }} }}"""
UPDATE = f"""mutation($id: ID!, $i: RelationInput!) {{ updateRelation(id: $id, input: $i)
  {{ relation {{ id }} {ERRORS} }} }}"""
ADD_CONTACT = f"""mutation($r: ID!, $i: ContactPersonInput!) {{
  addContactPerson(relationId: $r, input: $i) {{ contact {{ id }} {ERRORS} }} }}"""
UPDATE_CONTACT = f"""mutation($id: ID!, $i: ContactPersonInput!) {{
  updateContactPerson(id: $id, input: $i) {{ contact {{ id }} {ERRORS} }} }}"""
REMOVE_CONTACT = f"""mutation($id: ID!) {{ removeContactPerson(id: $id) {{
  deletedId {ERRORS} }} }}"""
LINK = f"""mutation($f: ID!, $t: ID!, $c: ID, $type: RelationLinkType!) {{ linkRelation(
  fromId: $f, toId: $t, type: $type, contactId: $c) {{ link {{ id }} {ERRORS} }} }}"""
UNLINK = f"""mutation($id: ID!) {{ unlinkRelation(id: $id) {{ deletedId {ERRORS} }} }}"""
ARCHIVE = f"""mutation($id: ID!) {{ archiveRelation(id: $id) {{ relation {{ id }} {ERRORS} }} }}"""
ORGANISATION = {"partyType": "ORGANISATION", "legalForm": "BV", "kinds": ["CLIENT"]}


class Look:
    """One query of one relation, looked at through the cache and built afresh."""

    def __init__(self, cockpit: Cockpit, query: str, variables: dict[str, Any]) -> None:
        self.cockpit, self.query, self.variables = cockpit, query, variables

    async def served(self) -> dict[str, Any]:
        viewer = self.cockpit.viewer
        return await self.cockpit.api.gql(self.query, self.variables, viewer.token)

    async def fresh(self) -> dict[str, Any]:
        result = await get_schema().execute(
            self.query,
            variable_values=self.variables,
            context_value=Context(request=None, actor=self.cockpit.viewer.actor),
        )
        assert not result.errors, result.errors
        return json.loads(json.dumps(process_result(result)))["data"]

    async def cached(self) -> dict[str, Any]:
        """Look until the cache answers (a card showing relations beyond its neighbourhood
        is kept on its second build); fails if it never does."""
        for _ in range(3):
            hits = get_cache().hits
            served = await self.served()
            if get_cache().hits == hits + 1:
                return served
        raise AssertionError("the cache never answered this query")

    async def assert_current(self) -> dict[str, Any]:
        served = await self.served()
        assert served == await self.fresh()
        return served


async def _relation(cockpit: Cockpit, name: str, **extra: Any) -> str:
    payload = await cockpit.write(CREATE, {"i": ORGANISATION | {"organisation": {
        "legalName": name}} | extra})  # fmt: skip
    return str(payload["relation"]["id"])


async def _person(cockpit: Cockpit, last_name: str) -> str:
    payload = await cockpit.write(CREATE, {"i": {"partyType": "PERSON", "kinds": ["CLIENT"],
                                  "person": {"lastName": last_name}}})  # fmt: skip
    return str(payload["relation"]["id"])


async def _contact(cockpit: Cockpit, relation_id: str, **fields: Any) -> str:
    payload = await cockpit.write(ADD_CONTACT, {"r": relation_id, "i": fields})
    return str(payload["contact"]["id"])


# ---------------------------------------------------------------- contacts and persons


async def test_a_persons_contact_roles_follow_changes_and_removals_elsewhere(cockpit):
    person = await _person(cockpit, "Visser")
    shop = await _relation(cockpit, "Visser Vis B.V.")
    role = await _contact(cockpit, shop, personId=person, jobTitle="DGA")
    look = Look(cockpit, """query($id: ID!) { relation(id: $id) { id
      contactRoles { id displayName jobTitle phone relation { id displayName status } } } }""",
        {"id": person})  # fmt: skip
    await look.cached()
    await cockpit.write(UPDATE_CONTACT, {"id": role, "i": {"phone": "0201234567"}})
    assert (await look.assert_current())["relation"]["contactRoles"][0]["phone"]
    await look.cached()
    await cockpit.write(UPDATE, {"id": shop, "i": {"organisation": {"legalName": "Vis B.V."}}})
    await look.assert_current()
    await look.cached()
    other = await _relation(cockpit, "Tweede Zaak B.V.")
    await _contact(cockpit, other, personId=person)
    assert len((await look.assert_current())["relation"]["contactRoles"]) == 2
    await look.cached()
    await cockpit.write(ARCHIVE, {"id": other})
    await look.assert_current()
    await look.cached()
    await cockpit.write(REMOVE_CONTACT, {"id": role})
    assert len((await look.assert_current())["relation"]["contactRoles"]) == 1


async def test_a_contact_pointed_at_another_person_leaves_no_stale_person(cockpit):
    shop = await _relation(cockpit, "Bakker B.V.")
    first, second = await _person(cockpit, "Eerste"), await _person(cockpit, "Tweede")
    contact = await _contact(cockpit, shop, personId=first)
    look = Look(cockpit, """query($id: ID!) { relation(id: $id) { contacts { id displayName
      person { id displayName partnership { partner { displayName } }
      contactRoles { relation { displayName } } } } } }""", {"id": shop})  # fmt: skip
    await look.cached()
    await cockpit.write(UPDATE_CONTACT, {"id": contact, "i": {"personId": second}})
    assert (await look.assert_current())["relation"]["contacts"][0]["person"]["id"] == second
    await look.cached()
    # The person's own partner (two steps from the shop) changes.
    partner = await _person(cockpit, "Partner")
    await cockpit.write(
        f"""mutation($p: ID!, $q: ID!) {{ setPartnership(personId: $p, partnerId: $q,
        type: MARRIED, fiscalPartner: false) {{ partnership {{ type }} {ERRORS} }} }}""",
        {"p": second, "q": partner},
    )
    await look.assert_current()
    await look.cached()
    await cockpit.write(UPDATE, {"id": partner, "i": {"person": {"lastName": "Partner-Nieuw"}}})
    await look.assert_current()
    await look.cached()
    await cockpit.write(
        f"mutation($p: ID!) {{ endPartnership(personId: $p) {{ deletedId {ERRORS} }} }}",
        {"p": partner},
    )
    await look.assert_current()
    await look.cached()
    await cockpit.write(UPDATE_CONTACT, {"id": contact, "i": {"personId": None}})
    assert (await look.assert_current())["relation"]["contacts"][0]["person"] is None


# ---------------------------------------------------------------- links, deep and reversed


async def test_the_notarys_linked_from_list_follows_its_clients(cockpit):
    notary = await _relation(cockpit, "Notariaat B.V.")
    clerk = await _contact(cockpit, notary, lastName="Klerk")
    client = await _relation(cockpit, "Klant B.V.")
    look = Look(cockpit, """query($id: ID!) { relation(id: $id) {
      linkedFrom(types: [NOTARY]) { id type from { id displayName contacts { lastName } }
      contact { email } } } }""", {"id": notary})  # fmt: skip
    await look.cached()
    link = (await cockpit.write(LINK, {"f": client, "t": notary, "c": clerk, "type": "NOTARY"}))[
        "link"]["id"]  # fmt: skip
    assert len((await look.assert_current())["relation"]["linkedFrom"]) == 1
    await look.cached()
    await _contact(cockpit, client, lastName="Eigenaar")
    await look.assert_current()
    await look.cached()
    await cockpit.write(REMOVE_CONTACT, {"id": clerk})
    assert (await look.assert_current())["relation"]["linkedFrom"][0]["contact"] is None
    await look.cached()
    await cockpit.write(UNLINK, {"id": link})
    assert (await look.assert_current())["relation"]["linkedFrom"] == []


DEEP = """query($id: ID!) { relation(id: $id) { id links { to { id displayName
  links { id to { id displayName status contacts { lastName phone }
    group { holder { displayName } subsidiary { displayName } } } } } } } }"""


async def test_relations_two_links_away_are_never_stale(cockpit):
    client = await _relation(cockpit, "Klant B.V.")
    bank = await _relation(cockpit, "Bank B.V.")
    far = await _relation(cockpit, "Ver Weg B.V.")
    await cockpit.write(LINK, {"f": client, "t": bank, "c": None, "type": "BANK"})
    link = (await cockpit.write(LINK, {"f": bank, "t": far, "c": None, "type": "OTHER"}))["link"]
    look = Look(cockpit, DEEP, {"id": client})
    await look.cached()
    await cockpit.write(UPDATE, {"id": far, "i": {"organisation": {"legalName": "Dichtbij B.V."}}})
    await look.assert_current()
    await look.cached()
    await _contact(cockpit, far, lastName="Ver")
    await look.assert_current()
    await look.cached()
    # A holder of the far relation: an edge between two relations the card never showed.
    holder = await _relation(cockpit, "Ver Holding B.V.")
    await cockpit.write(
        f"""mutation($h: ID!, $s: ID!) {{ addShareholding(holderId: $h, subsidiaryId: $s,
        percentage: "100") {{ shareholding {{ id }} {ERRORS} }} }}""",
        {"h": holder, "s": far},
    )
    await look.assert_current()
    await look.cached()
    await cockpit.write(UPDATE, {"id": holder, "i": {"organisation": {"legalName": "VH B.V."}}})
    await look.assert_current()
    await look.cached()
    await cockpit.write(ARCHIVE, {"id": far})
    await look.assert_current()
    await look.cached()
    await cockpit.write(UNLINK, {"id": link["id"]})
    await look.assert_current()


async def test_fragments_and_aliases_are_vouched_for_like_plain_fields(cockpit):
    client = await _relation(cockpit, "Klant B.V.")
    bank = await _relation(cockpit, "Bank B.V.")
    await cockpit.write(LINK, {"f": client, "t": bank, "c": None, "type": "BANK"})
    query = """query Card($id: ID!) { card: relation(id: $id) { ...Head
      banks: links(types: [BANK]) { other: to { ...Head people: contacts { ... on ContactPerson
      { name: displayName } } } } notaries: links(types: [NOTARY]) { id } } }
      fragment Head on Relation { key: id name: displayName state: status }"""
    look = Look(cockpit, query, {"id": client})
    await look.cached()
    await cockpit.write(ARCHIVE, {"id": bank})
    assert (await look.assert_current())["card"]["banks"][0]["other"]["state"] == "ARCHIVED"
    await look.cached()
    await _contact(cockpit, bank, lastName="Adviseur")
    await look.assert_current()


# ---------------------------------------------------------------- group, partners, staff


async def test_ending_holdings_and_partnerships_leaves_no_stale_group_or_partner(cockpit):
    relation_id = await build_card(SMALL)
    look = Look(
        cockpit,
        """query($id: ID!) { relation(id: $id) { group { id depth
      holder { id displayName } subsidiary { id displayName participations { id } } }
      shareholders { id holder { id } } participations { id } } }""",
        {"id": relation_id},
    )
    card = (await look.cached())["relation"]
    sub = card["participations"][0]["id"]
    await cockpit.write(
        f"""mutation($id: ID!, $u: Date!) {{ endShareholding(id: $id, until: $u)
        {{ shareholding {{ id }} {ERRORS} }} }}""",
        {"id": sub, "u": "2026-01-02"},
    )
    assert (await look.assert_current())["relation"]["participations"] == []
    await look.cached()
    top = card["shareholders"][0]["id"]
    await cockpit.write(
        f"""mutation($id: ID!, $u: Date!) {{ endShareholding(id: $id, until: $u)
        {{ shareholding {{ id }} {ERRORS} }} }}""",
        {"id": top, "u": "2026-01-02"},
    )
    assert (await look.assert_current())["relation"]["group"] == []


async def test_unassigned_staff_and_new_colleagues_leave_no_stale_card(cockpit):
    relation_id = await build_card(SMALL)
    look = Look(
        cockpit,
        """query($id: ID!) { relation(id: $id) { staff { id role
      employee { id name email role active } } appointments { id status
      employees { id name } contacts { id displayName } } } }""",
        {"id": relation_id},
    )
    card = (await look.cached())["relation"]
    await cockpit.write(
        f"mutation($id: ID!) {{ unassignStaff(id: $id) {{ deletedId {ERRORS} }} }}",
        {"id": card["staff"][0]["id"]},
    )
    assert (await look.assert_current())["relation"]["staff"] == []
    await look.cached()
    await cockpit.write(
        f"""mutation($i: EmployeeInput!) {{ createEmployee(input: $i)
        {{ employee {{ id }} {ERRORS} }} }}""",
        {"i": {"name": "Nieuw", "email": "nieuw@kantoor.example", "role": "EMPLOYEE",
               "password": "Correct-Horse-Battery-9"}},
    )  # fmt: skip
    await look.assert_current()
    await look.cached()
    # The appointment's only contact is removed: the appointment lets go of it.
    contact = card["appointments"][0]["contacts"][0]["id"]
    await cockpit.write(REMOVE_CONTACT, {"id": contact})
    assert (await look.assert_current())["relation"]["appointments"][0]["contacts"] == []
    await look.cached()
    await cockpit.write(
        f"""mutation($id: ID!) {{ cancelAppointment(id: $id) {{ appointment {{ id }} {ERRORS}
        }} }}""",
        {"id": card["appointments"][0]["id"]},
    )
    assert (await look.assert_current())["relation"]["appointments"][0]["status"] == "CANCELLED"


# ---------------------------------------------------------------- office-wide data


async def test_a_deactivated_custom_field_leaves_no_card_showing_it(cockpit):
    relation_id = await build_card(SMALL)
    look = Look(
        cockpit,
        """query($id: ID!) { relation(id: $id) { customFields {
      definition { id key label active position } value }
      contacts { customFields { definition { key } value } } } }""",
        {"id": relation_id},
    )
    card = (await look.cached())["relation"]
    definition = card["customFields"][0]["definition"]["id"]
    await cockpit.write(
        f"""mutation($id: ID!) {{ updateCustomField(id: $id, input: {{active: false}})
        {{ definition {{ id }} {ERRORS} }} }}""",
        {"id": definition},
    )
    assert (await look.assert_current())["relation"]["customFields"] == []
    await look.cached()
    made = await cockpit.write(
        f"""mutation {{ defineCustomField(input: {{key: "rol", label: "Rol",
        target: CONTACT_PERSON, type: TEXT}}) {{ definition {{ id }} {ERRORS} }} }}""",
        {},
    )
    assert made["definition"]["id"]
    contact = (await cockpit.api.gql(
        "query($id: ID!) { relation(id: $id) { contacts { id } } }", {"id": relation_id},
        cockpit.viewer.token))["relation"]["contacts"][0]["id"]  # fmt: skip
    await cockpit.write(UPDATE_CONTACT, {"id": contact, "i": {"customFields": [
        {"key": "rol", "value": "Boekhouder"}]}})  # fmt: skip
    assert (await look.assert_current())["relation"]["contacts"][0]["customFields"]
    await look.cached()
    await cockpit.write(
        f"""mutation($id: ID!) {{ updateCustomField(id: $id, input: {{active: false}})
        {{ definition {{ id }} {ERRORS} }} }}""",
        {"id": made["definition"]["id"]},
    )
    assert (await look.assert_current())["relation"]["contacts"][0]["customFields"] == []


async def _pending_account(cockpit: Any) -> tuple[str, str]:
    """A relation with an account in a webhook system and a change it is yet to hear of."""
    relation_id = await _relation(cockpit, "Klant B.V.")
    system = (await cockpit.write(
        f"""mutation {{ registerLinkedSystem(input: {{name: "Boekhouding", kind: BOOKKEEPING,
        baseUrl: "https://boekhouding.example", ssoAudience: "boekhouding",
        webhookUrl: "https://boekhouding.example/hooks"}}) {{ system {{ id }} {ERRORS} }} }}""",
        {}))["system"]["id"]  # fmt: skip
    await cockpit.write(
        f"""mutation($r: ID!, $s: ID!) {{ linkAccount(relationId: $r, systemId: $s,
        externalId: "K-9") {{ account {{ id }} {ERRORS} }} }}""",
        {"r": relation_id, "s": system},
    )
    await cockpit.write(UPDATE, {"id": relation_id, "i": {"email": "info@klant.example"}})
    return relation_id, system


async def test_deactivating_a_linked_system_shows_its_cancelled_deliveries(cockpit):
    relation_id, system = await _pending_account(cockpit)
    look = Look(
        cockpit,
        """query($id: ID!) { relation(id: $id) { accounts { id syncState
      system { id name active disabledReason webhookUrl } } } }""",
        {"id": relation_id},
    )
    assert (await look.cached())["relation"]["accounts"][0]["syncState"] == "PENDING"
    await cockpit.write(
        f"""mutation($id: ID!) {{ deactivateLinkedSystem(id: $id) {{ system {{ id }} {ERRORS}
        }} }}""",
        {"id": system},
    )
    account = (await look.assert_current())["relation"]["accounts"][0]
    assert account["syncState"] == "FAILING"
    assert account["system"]["active"] is False


async def test_a_system_that_stops_receiving_webhooks_shows_its_cancelled_deliveries(cockpit):
    relation_id, system = await _pending_account(cockpit)
    look = Look(
        cockpit,
        """query($id: ID!) { relation(id: $id) {
      accounts { syncState } } }""",
        {"id": relation_id},
    )
    assert (await look.cached())["relation"]["accounts"][0]["syncState"] == "PENDING"
    await cockpit.write(
        f"""mutation($id: ID!) {{ updateLinkedSystem(id: $id, input: {{webhookUrl: null}})
        {{ system {{ id }} {ERRORS} }} }}""",
        {"id": system},
    )
    assert (await look.assert_current())["relation"]["accounts"][0]["syncState"] == "FAILING"


# ---------------------------------------------------------------- history


async def test_versions_and_snapshots_of_a_linked_relation_are_never_stale(cockpit):
    client = await _relation(cockpit, "Klant B.V.")
    bank = await _relation(cockpit, "Bank B.V.")
    contact = await _contact(cockpit, bank, lastName="Adviseur")
    await cockpit.write(LINK, {"f": client, "t": bank, "c": contact, "type": "BANK"})
    look = Look(cockpit, """query($id: ID!) { relation(id: $id) { versions(first: 3) {
      entity op changes actor { name } } links { to { versions(first: 2) { entity op }
      snapshots { id reason } } contact { displayName } } } }""", {"id": client})  # fmt: skip
    await look.cached()
    await cockpit.write(UPDATE_CONTACT, {"id": contact, "i": {"lastName": "Bankier"}})
    await look.assert_current()
    await look.cached()
    await cockpit.write(
        f"""mutation($id: ID!) {{ createSnapshot(relationId: $id, reason: "controle")
        {{ snapshot {{ id }} {ERRORS} }} }}""",
        {"id": bank},
    )
    assert (await look.assert_current())["relation"]["links"][0]["to"]["snapshots"]


# ---------------------------------------------------------------- the office day


async def test_a_holding_ending_tonight_is_gone_from_tomorrows_card(cockpit, monkeypatch):
    relation_id = await build_card(SMALL)
    look = Look(
        cockpit,
        """query($id: ID!) { relation(id: $id) { participations { id }
      group { id subsidiary { displayName } } } }""",
        {"id": relation_id},
    )
    card = (await look.cached())["relation"]
    tomorrow = graph.office_date() + timedelta(days=1)
    await cockpit.write(
        f"""mutation($id: ID!, $u: Date!) {{ endShareholding(id: $id, until: $u)
        {{ shareholding {{ id }} {ERRORS} }} }}""",
        {"id": card["participations"][0]["id"], "u": tomorrow.isoformat()},
    )
    assert (await look.cached())["relation"]["participations"] == card["participations"]
    now = graph.utcnow()
    monkeypatch.setattr(graph, "utcnow", lambda: now + timedelta(days=1))
    tomorrows = (await look.assert_current())["relation"]
    assert tomorrows["participations"] == []
    assert len(tomorrows["group"]) == len(card["group"]) - 1
