"""updateRelation (partial), address replacement, and archiveRelation."""

from __future__ import annotations

from server.models import Address, ChangeEvent, Relation, Version
from tests.factories import make_employee
from tests.register.helpers import ARCHIVE, BAKKERIJ, JANSEN, SEARCH, UPDATE, codes, counts, create


async def update(api, token, rid, data):
    result = (await api.gql(UPDATE, {"id": rid, "i": data}, token=token))["updateRelation"]
    assert result["errors"] == [], result["errors"]
    return result["relation"]


async def test_only_the_fields_given_change(api):
    admin = await make_employee("ADMIN")
    created = await create(api, admin.token, BAKKERIJ)
    updated = await update(api, admin.token, created["id"], {"email": "INFO@Korenschoof.NL"})
    assert updated["email"] == "info@korenschoof.nl"
    unchanged = {k: v for k, v in updated.items() if k not in ("email", "updatedAt")}
    assert unchanged == {k: v for k, v in created.items() if k not in ("email", "updatedAt")}
    assert updated["updatedAt"] > created["updatedAt"]


async def test_fields_inside_a_details_block_change_only_when_given(api):
    admin = await make_employee("ADMIN")
    created = await create(api, admin.token, JANSEN)
    person = {"lastName": "Berg-Jansen", "initials": None}
    updated = await update(api, admin.token, created["id"], {"person": person})
    assert updated["person"]["lastName"] == "Berg-Jansen"
    assert updated["person"]["initials"] is None
    assert updated["person"]["givenName"] == "Jan"
    assert updated["person"]["bsnMasked"] == "*****2333"
    assert updated["displayName"] == "Jan van der Berg-Jansen"


async def test_an_update_records_one_version_with_the_field_diff_and_a_relation_updated_event(
    api,
):
    admin = await make_employee("ADMIN")
    created = await create(api, admin.token, BAKKERIJ)
    await update(api, admin.token, created["id"], {"kinds": ["CLIENT"], "phone": "030 123 4567"})
    version = await Version.filter(entity="relation", op="update").get()
    assert version.changes["kinds_mask"] == [5, 1]
    assert version.changes["phone"] == [None, "+31301234567"]
    event = await ChangeEvent.filter(type="relation.updated").get()
    assert event.payload["changes"]["phone"] == [None, "+31301234567"]
    assert event.payload["data"]["kinds_mask"] == 1


async def test_an_update_that_changes_nothing_records_nothing(api):
    admin = await make_employee("ADMIN")
    created = await create(api, admin.token, BAKKERIJ)
    before = await counts()
    again = await update(api, admin.token, created["id"], {"legalForm": "BV"})
    assert again["updatedAt"] == created["updatedAt"]
    assert await counts() == before


async def test_the_tax_regime_is_derived_again_unless_it_was_set_explicitly(api):
    admin = await make_employee("ADMIN")
    rid = (await create(api, admin.token, BAKKERIJ))["id"]
    assert (await update(api, admin.token, rid, {"legalForm": "VOF"}))["taxRegime"] == "INCOME_TAX"
    assert (await update(api, admin.token, rid, {"taxRegime": "NONE"}))["taxRegime"] == "NONE"
    assert (await update(api, admin.token, rid, {"legalForm": "BV"}))["taxRegime"] == "NONE"
    assert (await Relation.get(id=rid)).tax_regime_explicit is True
    cleared = await update(api, admin.token, rid, {"taxRegime": None})
    assert cleared["taxRegime"] == "CORPORATE_TAX"
    assert (await Relation.get(id=rid)).tax_regime_explicit is False


async def test_dropping_the_agency_kind_clears_the_agency_type(api):
    admin = await make_employee("ADMIN")
    data = {
        "partyType": "ORGANISATION",
        "kinds": ["AGENCY"],
        "agencyType": "BANK",
        "organisation": {"legalName": "Rabobank Utrecht"},
    }
    rid = (await create(api, admin.token, data))["id"]
    updated = await update(api, admin.token, rid, {"kinds": ["SUPPLIER"]})
    assert updated["agencyType"] is None


async def test_addresses_are_replaced_by_type_keeping_ids_and_each_change_is_recorded(api):
    admin = await make_employee("ADMIN")
    created = await create(api, admin.token, BAKKERIJ)
    visiting_id = created["addresses"][0]["id"]
    moved = {**BAKKERIJ["addresses"][0], "houseNumber": "102", "houseNumberAddition": "bis"}
    office = {
        "type": "REGISTERED_OFFICE",
        "street": "Domplein",
        "houseNumber": "1",
        "postalCode": "3512 JC",
        "city": "Utrecht",
    }
    updated = await update(api, admin.token, created["id"], {"addresses": [office, moved]})
    assert [(a["type"], a["houseNumber"]) for a in updated["addresses"]] == [
        ("REGISTERED_OFFICE", "1"),
        ("VISITING", "102"),
    ]
    assert updated["addresses"][1]["id"] == visiting_id
    assert await Address.filter(relation_id=created["id"]).count() == 2
    versions = await Version.filter(entity="address", op__not="create").values("op", "changes")
    ops = sorted(v["op"] for v in versions)
    assert ops == ["delete", "update"]
    update_diff = next(v["changes"] for v in versions if v["op"] == "update")
    assert update_diff["house_number"] == ["100", "102"]
    assert update_diff["house_number_addition"] == [None, "bis"]
    events = await ChangeEvent.filter(type="relation.updated").values_list("payload", flat=True)
    assert sorted(e["entity"] for e in events) == ["address", "address", "address"]
    assert await ChangeEvent.filter(type="relation.created").count() == 1


async def test_a_refused_update_leaves_the_relation_and_its_addresses_as_they_were(api):
    admin = await make_employee("ADMIN")
    created = await create(api, admin.token, BAKKERIJ)
    before = await counts()
    bad = {
        "email": "nieuw@korenschoof.nl",
        "addresses": [{**BAKKERIJ["addresses"][0], "postalCode": "0000 AA"}],
    }
    result = await api.gql(UPDATE, {"id": created["id"], "i": bad}, token=admin.token)
    assert codes(result["updateRelation"]["errors"]) == [
        ("input.addresses.0.postalCode", "INVALID_POSTAL_CODE")
    ]
    assert await counts() == before
    relation = await Relation.get(id=created["id"])
    assert relation.email is None
    assert await Address.filter(relation_id=created["id"]).count() == 2


async def test_archiving_hides_the_relation_from_search_until_asked_for(api):
    admin = await make_employee("ADMIN")
    created = await create(api, admin.token, BAKKERIJ)
    result = (await api.gql(ARCHIVE, {"id": created["id"]}, token=admin.token))["archiveRelation"]
    assert result == {"relation": {"id": created["id"], "status": "ARCHIVED"}, "errors": []}
    relation = await Relation.get(id=created["id"])
    assert relation.archived_at is not None
    event = await ChangeEvent.filter(type="relation.archived").get()
    assert event.payload["changes"]["status"] == ["ACTIVE", "ARCHIVED"]
    found = (await api.gql(SEARCH, {"s": "korenschoof"}, token=admin.token))["relations"]
    assert found["totalCount"] == 0
    archived = {"s": "korenschoof", "f": {"status": "ARCHIVED"}}
    found = (await api.gql(SEARCH, archived, token=admin.token))["relations"]
    assert [e["node"]["id"] for e in found["edges"]] == [created["id"]]


async def test_archiving_twice_changes_nothing_the_second_time(api):
    admin = await make_employee("ADMIN")
    created = await create(api, admin.token, JANSEN)
    await api.gql(ARCHIVE, {"id": created["id"]}, token=admin.token)
    before = await counts()
    result = (await api.gql(ARCHIVE, {"id": created["id"]}, token=admin.token))["archiveRelation"]
    assert result["relation"]["status"] == "ARCHIVED"
    assert await counts() == before


async def test_an_archived_relation_is_restored_by_setting_its_status(api):
    admin = await make_employee("ADMIN")
    created = await create(api, admin.token, JANSEN)
    await api.gql(ARCHIVE, {"id": created["id"]}, token=admin.token)
    restored = await update(api, admin.token, created["id"], {"status": "INACTIVE"})
    assert restored["status"] == "INACTIVE"
    assert (await Relation.get(id=created["id"])).archived_at is None
    found = (await api.gql(SEARCH, {"s": "berg"}, token=admin.token))["relations"]
    assert found["totalCount"] == 1
