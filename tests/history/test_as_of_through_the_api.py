"""The card as it was, when every write goes through the public mutations."""

from __future__ import annotations

from tests.factories import make_employee
from tests.history import helpers as h

CREATE = """mutation($input: RelationInput!) {
  createRelation(input: $input) { relation { id } errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: RelationInput!) {
  updateRelation(id: $id, input: $input) { relation { id } errors { field code message } } }"""
ADD_CONTACT = """mutation($id: ID!, $input: ContactPersonInput!) {
  addContactPerson(relationId: $id, input: $input) { contact { id } errors { code message } } }"""
UPDATE_CONTACT = """mutation($id: ID!, $input: ContactPersonInput!) {
  updateContactPerson(id: $id, input: $input) { contact { id } errors { code message } } }"""
REMOVE_CONTACT = """mutation($id: ID!) { removeContactPerson(id: $id) { errors { code } } }"""
VERSIONS = """query($id: ID!) { relation(id: $id) { versions(first: 50) { entity op } } }"""
WINDOW = {"from": "2020-01-01T00:00:00Z", "to": "2040-01-01T00:00:00Z"}


def _address(type_: str, street: str) -> dict:
    return {"type": type_, "street": street, "houseNumber": "1", "postalCode": "3511 AB",
            "city": "Utrecht"}  # fmt: skip


async def _mutate(api, token, query, variables, name):
    payload = (await api.gql(query, variables, token=token))[name]
    assert payload["errors"] == [], payload["errors"]
    return payload


async def _card(api, token, relation_id, as_of=None):
    variables = {"id": relation_id, "asOf": as_of.isoformat() if as_of else None, **WINDOW}
    return (await api.gql(h.card_query(), variables, token=token))["relation"]


async def test_the_card_built_through_the_mutations_reads_back_as_it_was(api):
    admin = await make_employee("ADMIN")
    token = admin.token
    organisation = {"legalName": "Bakkerij Mutatie B.V."}
    created = await _mutate(api, token, CREATE, {"input": {
        "partyType": "ORGANISATION", "legalForm": "BV", "organisation": organisation,
        "email": "info@mutatie.nl",
        "addresses": [_address("VISITING", "Oudegracht"), _address("POSTAL", "Postbus")],
    }}, "createRelation")  # fmt: skip
    rid = created["relation"]["id"]
    anna = await _mutate(api, token, ADD_CONTACT, {"id": rid, "input": {
        "firstName": "Anna", "lastName": "Jansen", "jobTitle": "Chef", "isPrimary": True,
    }}, "addContactPerson")  # fmt: skip
    piet = await _mutate(api, token, ADD_CONTACT, {"id": rid, "input": {
        "firstName": "Piet", "lastName": "Bakker"}}, "addContactPerson")  # fmt: skip
    await _mutate(api, token, UPDATE_CONTACT, {"id": anna["contact"]["id"], "input": {
        "jobTitle": "Directeur"}}, "updateContactPerson")  # fmt: skip
    t1 = await h.moment_between()
    then = await _card(api, token, rid)

    await _mutate(api, token, UPDATE, {"id": rid, "input": {
        "email": "post@mutatie.nl", "organisation": organisation,
        "addresses": [_address("VISITING", "Vredenburg")],
    }}, "updateRelation")  # fmt: skip
    await _mutate(api, token, UPDATE_CONTACT, {"id": anna["contact"]["id"], "input": {
        "jobTitle": "Eigenaar"}}, "updateContactPerson")  # fmt: skip
    removed = await api.gql(REMOVE_CONTACT, {"id": piet["contact"]["id"]}, token=token)
    assert removed["removeContactPerson"]["errors"] == []

    now = await _card(api, token, rid)
    as_of_t1 = await _card(api, token, rid, t1)

    assert as_of_t1 == then
    assert [a["street"] for a in then["addresses"]] == ["Oudegracht", "Postbus"]
    assert [a["street"] for a in now["addresses"]] == ["Vredenburg"]
    assert [c["jobTitle"] for c in as_of_t1["contacts"]] == ["Directeur", None]
    assert [c["jobTitle"] for c in now["contacts"]] == ["Eigenaar"]
    versions = (await api.gql(VERSIONS, {"id": rid}, token=token))["relation"]["versions"]
    assert versions[-1] == {"entity": "relation", "op": "create"}
    assert {"entity": "contact", "op": "delete"} in versions
    assert {"entity": "address", "op": "delete"} in versions
