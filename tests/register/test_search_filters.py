"""relations(filter:): kinds, party type, status, legal form, assigned employee, custom field;
and custom values written with createRelation / updateRelation / addContactPerson."""

from __future__ import annotations

import uuid
from datetime import date

from server.models import ChangeEvent, CustomFieldValue, StaffAssignment
from server.services import assignments, relations
from tests.factories import make_employee
from tests.register.helpers import ADD_CONTACT, CREATE, SEARCH, UPDATE, codes, counts, create

DEFINE = """mutation($i: CustomFieldDefinitionInput!) { defineCustomField(input: $i) {
  definition { id } errors { field code message } } }"""


def org(name, legal_form=None, kinds=("CLIENT",), **extra):
    return {"partyType": "ORGANISATION", "kinds": list(kinds), "legalForm": legal_form,
            "organisation": {"legalName": name}, **extra}  # fmt: skip


async def office(admin) -> dict[str, str]:
    made = {
        "boer": org("Melkveebedrijf Boer", "VOF"),
        "bouw": org("Bouwbedrijf Boer B.V.", "BV", ("CLIENT", "SUPPLIER")),
        "drukker": org("Drukkerij Boer B.V.", "BV", ("SUPPLIER",)),
        "prospect": org("Boer Advies", "EENMANSZAAK", ("PROSPECT",), status="INACTIVE"),
        "person": {"partyType": "PERSON", "person": {"lastName": "Boer"}},
    }
    return {key: await relations.create_relation(admin.actor, data) for key, data in made.items()}


async def found(api, token, filters, search="boer") -> list[str]:
    data = await api.gql(SEARCH, {"s": search, "f": filters}, token=token)
    return sorted(edge["node"]["id"] for edge in data["relations"]["edges"])


def ids_of(made, *keys):
    return sorted(made[k] for k in keys)


async def test_each_listed_filter_narrows_with_and_without_search_words(api):
    admin = await make_employee("ADMIN")
    made = await office(admin)
    for search in ("boer", None):

        async def check(filters, *keys, search=search):
            assert await found(api, admin.token, filters, search) == ids_of(made, *keys), filters

        await check({"kinds": ["SUPPLIER"]}, "bouw", "drukker")
        await check({"kinds": ["PROSPECT", "SUPPLIER"]}, "bouw", "drukker", "prospect")
        await check({"partyType": "PERSON"}, "person")
        await check({"legalForm": "BV"}, "bouw", "drukker")
        await check({"status": "INACTIVE"}, "prospect")
        await check({"kinds": ["CLIENT"], "legalForm": "BV"}, "bouw")


async def test_assigned_to_finds_the_relations_an_employee_serves_now(api):
    admin = await make_employee("ADMIN")
    made = await office(admin)
    sanne = await make_employee("EMPLOYEE")
    await assignments.assign_staff(admin.actor, made["boer"], sanne.id, "ACCOUNTANT")
    await assignments.assign_staff(admin.actor, made["person"], sanne.id, "TAX_ADVISER")
    await StaffAssignment.create(id=uuid.uuid4(), relation_id=made["bouw"], employee_id=sanne.id,
                                 role="ASSISTANT", until=date(2020, 1, 1))  # fmt: skip
    for search in ("boer", None):
        assert await found(api, admin.token, {"assignedTo": sanne.id}, search) == ids_of(
            made, "boer", "person"
        )
    for nobody in (str(uuid.uuid4()), "not-an-id"):
        assert await found(api, admin.token, {"assignedTo": nobody}) == []


async def define(api, token, key, target="RELATION", required=False):
    data = {
        "key": key,
        "label": key.title(),
        "target": target,
        "type": "TEXT",
        "required": required,
    }
    result = (await api.gql(DEFINE, {"i": data}, token=token))["defineCustomField"]
    assert result["errors"] == []


async def test_custom_values_are_written_with_the_relation_and_filter_the_search(api):
    admin = await make_employee("ADMIN")
    await define(api, admin.token, "teelt")
    made = await office(admin)
    data = org("Akkerbouw Boer", customFields=[{"key": "teelt", "value": "Aardappelen"}])
    akker = (await create(api, admin.token, data))["id"]
    change = {"customFields": [{"key": "teelt", "value": "Uien"}]}
    result = await api.gql(UPDATE, {"id": made["boer"], "i": change}, token=admin.token)
    assert result["updateRelation"]["errors"] == []
    onions = {"customField": {"key": "teelt", "value": "uien"}}
    for search in ("boer", None):
        assert await found(api, admin.token, onions, search) == [made["boer"]]
    potatoes = {"customField": {"key": "teelt", "value": "Aardappelen"}, "kinds": ["CLIENT"]}
    assert await found(api, admin.token, potatoes) == [akker]
    assert await ChangeEvent.filter(type="custom_fields.updated").count() == 2
    response = await api.post(SEARCH, {"f": {"customField": {"key": "nope", "value": "x"}}},
                              token=admin.token)  # fmt: skip
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_missing_required_custom_value_is_reported_with_every_other_fault(api):
    admin = await make_employee("ADMIN")
    await define(api, admin.token, "sector", required=True)
    before = await counts()
    bad = org("Zonder Sector", organisation={"legalName": "Zonder Sector", "kvkNumber": "1"})
    result = (await api.gql(CREATE, {"i": bad}, token=admin.token))["createRelation"]
    assert codes(result["errors"]) == [
        ("input.customFields", "REQUIRED"),
        ("input.organisation.kvkNumber", "INVALID_KVK"),
    ]
    assert await counts() == before
    assert await CustomFieldValue.all().count() == 0


async def test_a_contact_gets_its_own_custom_values(api):
    admin = await make_employee("ADMIN")
    await define(api, admin.token, "rol", target="CONTACT_PERSON")
    rid = (await create(api, admin.token, org("Boer B.V.")))["id"]
    data = {"lastName": "Boer", "customFields": [{"key": "rol", "value": "Beslisser"}]}
    result = await api.gql(ADD_CONTACT, {"r": rid, "i": data}, token=admin.token)
    contact_id = result["addContactPerson"]["contact"]["id"]
    value = await CustomFieldValue.get(contact_id=contact_id)
    assert value.relation_id is None
    bad = {"lastName": "Boer", "customFields": [{"key": "onbekend", "value": 1}]}
    refused = await api.gql(ADD_CONTACT, {"r": rid, "i": bad}, token=admin.token)
    assert codes(refused["addContactPerson"]["errors"]) == [
        ("input.customFields.0.key", "NOT_FOUND")
    ]
