"""Contact persons: add, update, remove, the primary flag and links to PERSON relations."""

from __future__ import annotations

from server.models import ChangeEvent, ContactPerson, Relation, RelationLink, Version
from tests.factories import make_employee
from tests.register.helpers import (
    ADD_CONTACT,
    BAKKERIJ,
    GET,
    JANSEN,
    REMOVE_CONTACT,
    UPDATE,
    UPDATE_CONTACT,
    codes,
    counts,
    create,
)

PIETERS = {
    "initials": "A.M.",
    "firstName": "Anna",
    "lastName": "Pieters",
    "department": "Financiën",
    "jobTitle": "Controller",
    "phone": "030-2345678",
    "mobile": "+31 6 1234 5678",
    "email": "a.pieters@korenschoof.nl",
}


async def add(api, token, relation_id, data):
    result = await api.gql(ADD_CONTACT, {"r": relation_id, "i": data}, token=token)
    assert result["addContactPerson"]["errors"] == [], result["addContactPerson"]["errors"]
    return result["addContactPerson"]["contact"]


async def test_a_contact_is_added_with_normalised_numbers_and_shown_on_the_card(api):
    admin = await make_employee("ADMIN")
    rid = (await create(api, admin.token, BAKKERIJ))["id"]
    contact = await add(api, admin.token, rid, PIETERS)
    assert contact["displayName"] == "Anna Pieters"
    assert contact["phone"] == "030 234 5678"
    assert contact["mobile"] == "06 12345678"
    assert contact["relation"] == {"id": rid}
    assert contact["person"] is None
    stored = await ContactPerson.get(id=contact["id"])
    assert (stored.phone, stored.mobile) == ("+31302345678", "+31612345678")
    card = (await api.gql(GET, {"id": rid}, token=admin.token))["relation"]
    assert [c["id"] for c in card["contacts"]] == [contact["id"]]
    assert await ChangeEvent.filter(type="contact.added").count() == 1
    version = await Version.get(entity="contact")
    assert (str(version.relation_id), version.op) == (rid, "create")


async def test_a_contact_without_a_last_name_or_with_bad_numbers_is_refused_entirely(api):
    admin = await make_employee("ADMIN")
    rid = (await create(api, admin.token, BAKKERIJ))["id"]
    before = await counts()
    bad = {"firstName": "Anna", "phone": "123", "email": "anna@", "department": "x" * 201}
    result = await api.gql(ADD_CONTACT, {"r": rid, "i": bad}, token=admin.token)
    assert codes(result["addContactPerson"]["errors"]) == [
        ("input.department", "INVALID"),
        ("input.email", "INVALID_EMAIL"),
        ("input.lastName", "REQUIRED"),
        ("input.phone", "INVALID_PHONE"),
    ]
    assert await counts() == before
    missing = await api.gql(
        ADD_CONTACT, {"r": "00000000-0000-4000-8000-000000000000", "i": PIETERS}, token=admin.token
    )
    assert codes(missing["addContactPerson"]["errors"]) == [("relationId", "NOT_FOUND")]


async def test_at_most_one_contact_of_a_relation_is_primary(api):
    admin = await make_employee("ADMIN")
    rid = (await create(api, admin.token, BAKKERIJ))["id"]
    first = await add(api, admin.token, rid, {**PIETERS, "isPrimary": True})
    second = await add(api, admin.token, rid, {"lastName": "de Wit", "isPrimary": True})
    primaries = await ContactPerson.filter(relation_id=rid, is_primary=True).values_list(
        "id", flat=True
    )
    assert [str(p) for p in primaries] == [second["id"]]
    await api.gql(UPDATE_CONTACT, {"id": first["id"], "i": {"isPrimary": True}}, token=admin.token)
    card = (await api.gql(GET, {"id": rid}, token=admin.token))["relation"]
    assert [(c["id"], c["isPrimary"]) for c in card["contacts"]] == [
        (first["id"], True),
        (second["id"], False),
    ]
    demotions = await ChangeEvent.filter(type="contact.updated").values_list("payload", flat=True)
    assert sorted(p["id"] for p in demotions) == sorted([first["id"], first["id"], second["id"]])


async def test_updating_a_contact_changes_only_the_fields_given(api):
    admin = await make_employee("ADMIN")
    rid = (await create(api, admin.token, BAKKERIJ))["id"]
    contact = await add(api, admin.token, rid, PIETERS)
    change = {"email": "anna@korenschoof.nl", "lastName": "Pieters-Bos"}
    result = await api.gql(UPDATE_CONTACT, {"id": contact["id"], "i": change}, token=admin.token)
    updated = result["updateContactPerson"]["contact"]
    assert (updated["email"], updated["displayName"]) == ("anna@korenschoof.nl", "Anna Pieters-Bos")
    stored = await ContactPerson.get(id=contact["id"])
    assert (stored.job_title, stored.department) == ("Controller", "Financiën")
    version = await Version.get(entity="contact", op="update")
    assert version.changes == {
        "email": ["a.pieters@korenschoof.nl", "anna@korenschoof.nl"],
        "last_name": ["Pieters", "Pieters-Bos"],
    }
    blank = await api.gql(UPDATE_CONTACT, {"id": contact["id"], "i": {"lastName": " "}},
                          token=admin.token)  # fmt: skip
    assert codes(blank["updateContactPerson"]["errors"]) == [("input.lastName", "REQUIRED")]


async def test_a_contact_can_be_an_existing_person_who_then_lists_it_as_a_contact_role(api):
    admin = await make_employee("ADMIN")
    company = (await create(api, admin.token, BAKKERIJ))["id"]
    person = (await create(api, admin.token, JANSEN))["id"]
    contact = await add(api, admin.token, company, {"personId": person, "jobTitle": "DGA"})
    assert contact["displayName"] == "Jan van der Berg"
    assert contact["person"] == {"id": person, "displayName": "J. van der Berg"}
    card = (await api.gql(GET, {"id": person}, token=admin.token))["relation"]
    assert card["contactRoles"] == [
        {
            "id": contact["id"],
            "relation": {"id": company, "displayName": "Bakkerij de Korenschoof B.V."},
        }
    ]
    version = await Version.get(entity="contact")
    assert str(version.other_relation_id) == person


async def test_a_linked_contact_follows_the_persons_name(api):
    admin = await make_employee("ADMIN")
    company = (await create(api, admin.token, BAKKERIJ))["id"]
    person = (await create(api, admin.token, JANSEN))["id"]
    contact = await add(api, admin.token, company, {"personId": person})
    renamed = {"person": {"lastName": "Bergen", "givenName": "Johan"}}
    await api.gql(UPDATE, {"id": person, "i": renamed}, token=admin.token)
    stored = await ContactPerson.get(id=contact["id"])
    assert (stored.first_name, stored.prefix, stored.last_name) == ("Johan", "van der", "Bergen")
    event = await ChangeEvent.filter(type="contact.updated").get()
    assert str(event.relation_id) == company
    assert event.payload["changes"]["last_name"] == ["Berg", "Bergen"]


async def test_a_person_link_must_be_a_person_other_than_the_relation_and_only_once(api):
    admin = await make_employee("ADMIN")
    company = (await create(api, admin.token, BAKKERIJ))["id"]
    person = (await create(api, admin.token, JANSEN))["id"]
    await add(api, admin.token, company, {"personId": person})
    cases = [
        (company, company, "INVALID"),  # an organisation
        (person, person, "INVALID"),  # itself
        (company, person, "CONFLICT"),  # twice
        (company, "00000000-0000-4000-8000-000000000000", "NOT_FOUND"),
    ]
    for relation_id, person_id, code in cases:
        result = await api.gql(ADD_CONTACT, {"r": relation_id, "i": {"personId": person_id}},
                               token=admin.token)  # fmt: skip
        assert codes(result["addContactPerson"]["errors"]) == [("input.personId", code)]


async def test_removing_a_contact_releases_links_and_the_sbr_filing_contact_with_history(api):
    admin = await make_employee("ADMIN")
    bank = (await create(api, admin.token, {"partyType": "ORGANISATION", "kinds": ["AGENCY"],
            "agencyType": "BANK", "organisation": {"legalName": "Rabobank"}}))["id"]  # fmt: skip
    company = (await create(api, admin.token, BAKKERIJ))["id"]
    manager = await add(api, admin.token, bank, {"lastName": "de Bruijn"})
    filing = await add(api, admin.token, company, PIETERS)
    sbr = {"sbr": {"filingContactId": filing["id"]}}
    await api.gql(UPDATE, {"id": company, "i": sbr}, token=admin.token)
    link = await RelationLink.create(
        id="11111111-1111-4111-8111-111111111111",
        from_relation_id=company, to_relation_id=bank, type="BANK", contact_id=manager["id"],
    )  # fmt: skip
    for contact in (manager, filing):
        result = await api.gql(REMOVE_CONTACT, {"id": contact["id"]}, token=admin.token)
        assert result["removeContactPerson"] == {"deletedId": contact["id"], "errors": []}
    assert (await RelationLink.get(id=link.id)).contact_id is None
    assert (await Relation.get(id=company)).sbr_filing_contact_id is None
    link_version = await Version.get(entity="link")
    assert link_version.changes == {"contact_id": [manager["id"], None]}
    assert await Version.filter(entity="contact", op="delete").count() == 2
    assert await ChangeEvent.filter(type="contact.removed").count() == 2
    again = await api.gql(REMOVE_CONTACT, {"id": filing["id"]}, token=admin.token)
    assert codes(again["removeContactPerson"]["errors"]) == [("id", "NOT_FOUND")]


async def test_the_sbr_filing_contact_must_be_a_contact_of_the_relation(api):
    admin = await make_employee("ADMIN")
    company = (await create(api, admin.token, BAKKERIJ))["id"]
    other = (await create(api, admin.token, JANSEN))["id"]
    stranger = await add(api, admin.token, other, {"lastName": "Vreemd"})
    own = await add(api, admin.token, company, PIETERS)
    foreign = {"sbr": {"filingContactId": stranger["id"]}}
    refused = await api.gql(UPDATE, {"id": company, "i": foreign}, token=admin.token)
    assert codes(refused["updateRelation"]["errors"]) == [
        ("input.sbr.filingContactId", "NOT_FOUND")
    ]
    ok = await api.gql(UPDATE, {"id": company, "i": {"sbr": {"filingContactId": own["id"]}}},
                       token=admin.token)  # fmt: skip
    assert ok["updateRelation"]["relation"]["sbr"]["filingContact"] == {
        "id": own["id"],
        "lastName": "Pieters",
    }
