"""The card cache: a hit costs one statement, and no write ever leaves a stale card behind.

After every kind of write the API offers to anything a card shows — the relation, its
contacts, a linked relation and that relation's contact, a group member two steps away,
the partner of a person, an office-wide custom field or linked system, a snapshot, an
appointment, staff — the card served over HTTP (through the cache) must equal the card
built afresh without it.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from strawberry.http import process_result

from server.card_cache import get_cache
from server.context import Context
from server.schema import get_schema
from tests.api.card_data import SMALL, build_card
from tests.api.test_card import CARD, WINDOW
from tests.factories import Staff, make_employee
from tests.sql_log import logged_statements

ERRORS = "errors { field code message }"


async def _fresh(viewer: Staff, relation_id: str) -> dict[str, Any]:
    """The card built now, without the cache, as the client would receive it."""
    result = await get_schema().execute(
        CARD,
        variable_values={"id": relation_id, **WINDOW},
        context_value=Context(request=None, actor=viewer.actor),
    )
    assert not result.errors, result.errors
    return json.loads(json.dumps(process_result(result)))["data"]


class Cockpit:
    def __init__(self, api: Any, viewer: Staff) -> None:
        self.api, self.viewer = api, viewer

    async def card(self, relation_id: str) -> dict[str, Any]:
        return (await self.api.gql(CARD, {"id": relation_id, **WINDOW}, self.viewer.token))[
            "relation"
        ]

    async def assert_current(self, relation_id: str) -> dict[str, Any]:
        """The served card equals a fresh one; returns it."""
        served = await self.api.gql(CARD, {"id": relation_id, **WINDOW}, self.viewer.token)
        assert served == await _fresh(self.viewer, relation_id)
        return served["relation"]

    async def write(self, mutation: str, variables: dict[str, Any]) -> dict[str, Any]:
        data = await self.api.gql(mutation, variables, self.viewer.token)
        payload = next(iter(data.values()))
        assert payload.get("errors") in (None, []), payload
        return payload


@pytest.fixture
async def cockpit(api: Any) -> Cockpit:
    get_cache().clear()
    return Cockpit(api, await make_employee("ADMIN"))


async def test_a_second_look_at_a_card_costs_one_statement(cockpit):
    relation_id = await build_card(SMALL)
    first = await cockpit.card(relation_id)
    hits = get_cache().hits
    with logged_statements() as counter:
        again = await cockpit.card(relation_id)
    assert again == first
    assert get_cache().hits == hits + 1
    # The sign-in check (is the employee still active?) and the card's stamps: nothing else.
    assert len(counter.statements) == 2, counter.statements
    assert 'FROM "employee"' in counter.statements[0]
    assert "FROM card_stamp" in counter.statements[1]


async def test_many_first_looks_at_once_build_the_card_once(cockpit):
    relation_id = await build_card(SMALL)
    with logged_statements() as counter:
        cards = await asyncio.gather(*(cockpit.card(relation_id) for _ in range(8)))
    assert all(card == cards[0] for card in cards)
    builds = [s for s in counter.statements if " AS dep " in s]  # the card's dependencies
    assert len(builds) == 1, len(builds)


async def test_no_write_to_anything_on_the_card_leaves_it_stale(cockpit):
    relation_id = await build_card(SMALL)
    card = await cockpit.assert_current(relation_id)
    await cockpit.card(relation_id)  # now cached
    holding = card["shareholders"][0]["holder"]["id"]
    bank = card["links"][0]["to"]["id"]

    async def changed(mutation: str, variables: dict[str, Any], check: Any) -> None:
        await cockpit.card(relation_id)  # cached before the write
        await cockpit.write(mutation, variables)
        after = await cockpit.assert_current(relation_id)
        assert check(after), after

    update = f"""mutation($id: ID!, $i: RelationInput!) {{ updateRelation(id: $id, input: $i)
      {{ relation {{ id }} {ERRORS} }} }}"""
    # The relation itself, a linked relation, a direct shareholder.
    await changed(update, {"id": relation_id, "i": {"email": "info@korenschoof.example"}},
                  lambda c: c["email"] == "info@korenschoof.example")  # fmt: skip
    await changed(update, {"id": bank, "i": {"organisation": {"legalName": "Spaarbank B.V."}}},
                  lambda c: c["links"][0]["to"]["displayName"] == "Spaarbank B.V.")  # fmt: skip
    await changed(
        update,
        {"id": holding, "i": {"organisation": {"legalName": "Koren Holding"}}},
        lambda c: c["shareholders"][0]["holder"]["displayName"] == "Koren Holding",
    )

    # A sister company joins the group (an edge between two other relations), then renames.
    create = f"""mutation($i: RelationInput!) {{ createRelation(input: $i) {{
      relation {{ id }} {ERRORS} }} }}"""
    company = {"partyType": "ORGANISATION", "legalForm": "BV", "kinds": ["CLIENT"]}
    made = await cockpit.write(
        create, {"i": company | {"organisation": {"legalName": "Zusje B.V."}}}
    )
    sister = made["relation"]["id"]

    def group(c: dict[str, Any]) -> set[str]:
        return {g["subsidiary"]["displayName"] for g in c["group"]}

    share = f"""mutation($h: ID!, $s: ID!) {{ addShareholding(holderId: $h, subsidiaryId: $s,
      percentage: "100") {{ shareholding {{ id }} {ERRORS} }} }}"""
    await changed(share, {"h": holding, "s": sister}, lambda c: "Zusje B.V." in group(c))
    await changed(
        update,
        {"id": sister, "i": {"organisation": {"legalName": "Zus B.V."}}},
        lambda c: "Zus B.V." in group(c),
    )

    # The card's own contact; a notary linked with its contact, then that contact changes.
    contact_update = f"""mutation($id: ID!, $i: ContactPersonInput!) {{
      updateContactPerson(id: $id, input: $i) {{ contact {{ id }} {ERRORS} }} }}"""
    await changed(
        contact_update,
        {"id": card["contacts"][0]["id"], "i": {"phone": "0201234567"}},
        lambda c: c["contacts"][0]["phone"] != card["contacts"][0]["phone"],
    )
    notary = (await cockpit.write(create, {"i": {"partyType": "ORGANISATION", "legalForm": "BV",
              "kinds": ["AGENCY"], "agencyType": "NOTARY",
              "organisation": {"legalName": "Notariaat B.V."}}}))["relation"]["id"]  # fmt: skip
    add_contact = f"""mutation($r: ID!, $i: ContactPersonInput!) {{
      addContactPerson(relationId: $r, input: $i) {{ contact {{ id }} {ERRORS} }} }}"""
    clerk = (await cockpit.write(add_contact, {"r": notary, "i": {"lastName": "Klerk"}}))[
        "contact"]["id"]  # fmt: skip
    link = f"""mutation($f: ID!, $t: ID!, $c: ID) {{ linkRelation(fromId: $f, toId: $t,
      type: NOTARY, contactId: $c) {{ link {{ id }} {ERRORS} }} }}"""
    await changed(link, {"f": relation_id, "t": notary, "c": clerk},
                  lambda c: any(k["to"]["id"] == notary for k in c["links"]))  # fmt: skip
    await changed(contact_update, {"id": clerk, "i": {"email": "klerk@notariaat.example"}},
                  lambda c: any((k["contact"] or {}).get("email") == "klerk@notariaat.example"
                                for k in c["links"]))  # fmt: skip

    # Office-wide: a custom field's label, a linked system's name.
    definitions = await cockpit.api.gql(
        "{ customFieldDefinitions { id key } }", {}, cockpit.viewer.token
    )
    definition = definitions["customFieldDefinitions"][0]["id"]
    relabel = f"""mutation($id: ID!) {{ updateCustomField(id: $id, input: {{label: "Omzet (k€)"}})
      {{ definition {{ id }} {ERRORS} }} }}"""
    await changed(
        relabel,
        {"id": definition},
        lambda c: c["customFields"][0]["definition"]["label"] == "Omzet (k€)",
    )
    system = card["accounts"][0]["system"]["id"]
    rename_system = f"""mutation($id: ID!) {{ updateLinkedSystem(id: $id,
      input: {{name: "Boekhouding Nieuw"}}) {{ system {{ id }} {ERRORS} }} }}"""
    await changed(rename_system, {"id": system},
                  lambda c: c["accounts"][0]["system"]["name"] == "Boekhouding Nieuw")  # fmt: skip

    # A snapshot, an appointment, staff.
    snapshot = f"""mutation($id: ID!) {{ createSnapshot(relationId: $id, reason: "controle")
      {{ snapshot {{ id }} {ERRORS} }} }}"""
    await changed(snapshot, {"id": relation_id}, lambda c: len(c["snapshots"]) == 1)
    appointment = card["appointments"][0]
    reschedule = f"""mutation($id: ID!, $i: AppointmentInput!) {{ updateAppointment(id: $id,
      input: $i) {{ appointment {{ id }} {ERRORS} }} }}"""
    await changed(reschedule, {"id": appointment["id"], "i": {
        "title": "Jaarrekening bespreken", "start": appointment["start"],
        "end": appointment["end"], "relationId": relation_id,
        "employeeIds": [e["id"] for e in appointment["employees"]]}},
        lambda c: c["appointments"][0]["title"] == "Jaarrekening bespreken")  # fmt: skip
    colleague = await make_employee("EMPLOYEE", name="Nieuwe Collega")
    assign = f"""mutation($r: ID!, $e: ID!) {{ assignStaff(relationId: $r, employeeId: $e,
      role: ASSISTANT) {{ assignment {{ id }} {ERRORS} }} }}"""
    await changed(
        assign,
        {"r": relation_id, "e": colleague.id},
        lambda c: "Nieuwe Collega" in {a["employee"]["name"] for a in c["staff"]},
    )


async def test_an_appointment_moved_to_another_relation_leaves_both_cards(cockpit):
    first, second = await build_card(SMALL), await build_card(SMALL)
    card = await cockpit.assert_current(first)
    await cockpit.assert_current(second)
    appointment = card["appointments"][0]
    await cockpit.write(
        f"""mutation($id: ID!, $i: AppointmentInput!) {{ updateAppointment(id: $id, input: $i)
        {{ appointment {{ id }} {ERRORS} }} }}""",
        {"id": appointment["id"], "i": {
            "title": appointment["title"], "start": appointment["start"],
            "end": appointment["end"], "relationId": second,
            "employeeIds": [e["id"] for e in appointment["employees"]]}},
    )  # fmt: skip
    assert appointment["id"] not in {
        a["id"] for a in (await cockpit.assert_current(first))["appointments"]
    }
    assert appointment["id"] in {
        a["id"] for a in (await cockpit.assert_current(second))["appointments"]
    }


async def test_the_partner_of_a_person_is_never_stale(cockpit):
    create = f"""mutation($i: RelationInput!) {{ createRelation(input: $i) {{
      relation {{ id }} {ERRORS} }} }}"""

    async def person(last_name: str) -> str:
        payload = await cockpit.write(create, {"i": {"partyType": "PERSON", "kinds": ["CLIENT"],
                                      "person": {"lastName": last_name}}})  # fmt: skip
        return str(payload["relation"]["id"])

    jan, mies = await person("Jansen"), await person("Bakker")
    await cockpit.write(
        f"""mutation($p: ID!, $q: ID!) {{ setPartnership(personId: $p, partnerId: $q,
        type: MARRIED, fiscalPartner: true) {{ partnership {{ type }} {ERRORS} }} }}""",
        {"p": jan, "q": mies},
    )
    await cockpit.assert_current(jan)
    await cockpit.card(jan)
    await cockpit.write(
        f"""mutation($id: ID!, $i: RelationInput!) {{ updateRelation(id: $id, input: $i)
        {{ relation {{ id }} {ERRORS} }} }}""",
        {"id": mies, "i": {"person": {"lastName": "Bakker-de Vries"}}},
    )
    card = await cockpit.assert_current(jan)
    assert card["partnership"]["partner"]["person"]["lastName"] == "Bakker-de Vries"


async def test_each_employee_gets_their_own_card_and_audited_reads_always_run(cockpit):
    relation_id = await build_card(SMALL)
    employee = await make_employee("EMPLOYEE")
    assert (await cockpit.card(relation_id))["id"] == relation_id
    hits = get_cache().hits
    await cockpit.api.gql(CARD, {"id": relation_id, **WINDOW}, employee.token)
    assert get_cache().hits == hits  # another employee: built for them, not served
    reveal = "query($id: ID!) { relation(id: $id) { person { bsn } } }"
    plan = get_cache().plan(
        get_schema()._schema,
        type("R", (), {"query": reveal, "operation_name": None, "variables": {"id": relation_id}}),
        Context(request=None, actor=cockpit.viewer.actor),
    )
    assert plan is None
