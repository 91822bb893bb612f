"""createRelation over the API: persons, organisations, derived fields, history and events."""

from __future__ import annotations

import pytest

from server.models import ChangeEvent, Version
from tests.factories import make_employee
from tests.register.helpers import BAKKERIJ, CREATE, GET, JANSEN, codes, counts, create


async def test_a_person_is_registered_with_normalised_numbers_and_a_derived_name(api):
    admin = await make_employee("ADMIN")
    relation = await create(api, admin.token, JANSEN)
    assert relation["number"] == "10001"
    assert relation["displayName"] == "J. van der Berg"
    assert relation["partyType"] == "PERSON"
    assert relation["kinds"] == ["CLIENT"]
    assert relation["status"] == "ACTIVE"
    assert relation["taxRegime"] == "INCOME_TAX"
    assert relation["organisation"] is None
    assert relation["person"] == {
        "initials": "J.",
        "firstNames": "Johannes Pieter",
        "givenName": "Jan",
        "prefix": "van der",
        "lastName": "Berg",
        "dateOfBirth": "1970-05-17",
        "bsnMasked": "*****2333",
    }
    assert relation["phone"] == "06 12345678"
    assert relation["addresses"][0]["postalCode"] == "1234 AB"
    assert relation["addresses"][0]["countryCode"] == "NL"


async def test_an_organisation_is_registered_with_every_number_stored_normalised(api):
    admin = await make_employee("ADMIN")
    relation = await create(api, admin.token, BAKKERIJ)
    assert relation["displayName"] == "Bakkerij de Korenschoof B.V."
    assert relation["kinds"] == ["CLIENT", "SUPPLIER"]
    assert relation["legalForm"] == "BV"
    assert relation["taxRegime"] == "CORPORATE_TAX"
    assert relation["person"] is None
    assert relation["organisation"] == {
        "legalName": "Bakkerij de Korenschoof B.V.",
        "tradeNames": ["De Korenschoof", "Brood & Banket"],
        "kvkNumber": "12345678",
        "establishmentNumber": None,
        "rsin": "004495445",
        "vatNumber": "NL004495445B01",
        "payrollTaxNumber": "004495445L01",
        "sbiCodes": ["1071"],
        "foundedOn": "1998-03-01",
    }
    assert relation["sbr"] == {
        "registeredSeat": "Utrecht",
        "sizeCategory": "SMALL",
        "financialYearStart": "01-01",
        "reportingCurrency": "EUR",
        "consolidates": None,
        "filingContact": None,
    }
    assert relation["website"] == "https://korenschoof.nl"
    assert [a["type"] for a in relation["addresses"]] == ["VISITING", "POSTAL"]
    assert [a["postalCode"] for a in relation["addresses"]] == ["3511 AB", "3500 AA"]


async def test_relation_numbers_are_unique_and_follow_each_other(api):
    admin = await make_employee("ADMIN")
    numbers = []
    for name in ("Alfa", "Bravo", "Charlie"):
        data = {"partyType": "ORGANISATION", "organisation": {"legalName": name}}
        numbers.append((await create(api, admin.token, data))["number"])
    assert numbers == ["10001", "10002", "10003"]


@pytest.mark.parametrize(
    ("legal_form", "regime"),
    [
        ("EENMANSZAAK", "INCOME_TAX"),
        ("MAATSCHAP", "INCOME_TAX"),
        ("VOF", "INCOME_TAX"),
        ("CV", "INCOME_TAX"),
        ("BV", "CORPORATE_TAX"),
        ("NV", "CORPORATE_TAX"),
        ("COOPERATIE", "CORPORATE_TAX"),
        ("ONDERLINGE_WAARBORGMAATSCHAPPIJ", "CORPORATE_TAX"),
        ("STICHTING", "NONE"),
        ("VERENIGING", "NONE"),
        (None, "NONE"),
    ],
)
async def test_the_tax_regime_follows_the_legal_form(api, legal_form, regime):
    admin = await make_employee("ADMIN")
    data = {
        "partyType": "ORGANISATION",
        "legalForm": legal_form,
        "organisation": {"legalName": "X"},
    }
    assert (await create(api, admin.token, data))["taxRegime"] == regime


async def test_an_explicit_tax_regime_wins_over_the_derived_one(api):
    admin = await make_employee("ADMIN")
    data = {
        "partyType": "ORGANISATION",
        "legalForm": "STICHTING",
        "taxRegime": "CORPORATE_TAX",
        "organisation": {"legalName": "Stichting Zonnebloem"},
    }
    assert (await create(api, admin.token, data))["taxRegime"] == "CORPORATE_TAX"


async def test_an_agency_has_an_agency_type(api):
    admin = await make_employee("ADMIN")
    data = {
        "partyType": "ORGANISATION",
        "kinds": ["AGENCY"],
        "agencyType": "TAX_AUTHORITY",
        "legalForm": "PUBLIEKRECHTELIJKE_RECHTSPERSOON",
        "organisation": {"legalName": "Belastingdienst kantoor Utrecht"},
    }
    relation = await create(api, admin.token, data)
    assert relation["kinds"] == ["AGENCY"]
    assert relation["agencyType"] == "TAX_AUTHORITY"


async def test_a_relation_without_kinds_is_a_client(api):
    admin = await make_employee("ADMIN")
    data = {"partyType": "PERSON", "person": {"lastName": "Visser"}}
    assert (await create(api, admin.token, data))["kinds"] == ["CLIENT"]


async def test_creating_writes_versions_and_one_relation_created_event(api):
    admin = await make_employee("ADMIN")
    relation = await create(api, admin.token, BAKKERIJ)
    versions = await Version.filter(relation_id=relation["id"]).order_by("id").values()
    assert [(v["entity"], v["op"]) for v in versions] == [
        ("relation", "create"),
        ("address", "create"),
        ("address", "create"),
    ]
    assert versions[0]["actor_id"] is not None
    assert str(versions[0]["actor_id"]) == admin.id
    assert versions[0]["changes"]["legal_name"] == [None, "Bakkerij de Korenschoof B.V."]
    events = await ChangeEvent.filter(relation_id=relation["id"]).values("type", "payload")
    assert [e["type"] for e in events] == ["relation.created"]
    payload = events[0]["payload"]
    assert payload["entity"] == "relation"
    assert payload["id"] == relation["id"]
    assert payload["data"]["kvk_number"] == "12345678"
    assert [a["postal_code"] for a in payload["data"]["addresses"]] == ["3511AB", "3500AA"]
    assert "bsn_index" not in payload["data"]


async def test_the_card_reads_back_what_was_created(api):
    admin = await make_employee("ADMIN")
    created = await create(api, admin.token, BAKKERIJ)
    read = (await api.gql(GET, {"id": created["id"]}, token=admin.token))["relation"]
    assert read == created


async def test_an_employee_may_create_relations(api):
    employee = await make_employee("EMPLOYEE")
    assert (await create(api, employee.token, JANSEN))["number"] == "10001"


async def test_a_refused_create_writes_nothing_not_even_a_relation_number(api):
    admin = await make_employee("ADMIN")
    before = await counts()
    bad = {**BAKKERIJ, "organisation": {**BAKKERIJ["organisation"], "kvkNumber": "123"}}
    result = (await api.gql(CREATE, {"i": bad}, token=admin.token))["createRelation"]
    assert result["relation"] is None
    assert codes(result["errors"]) == [("input.organisation.kvkNumber", "INVALID_KVK")]
    assert await counts() == before
    assert (await create(api, admin.token, JANSEN))["number"] == "10001"


async def test_a_relation_is_found_by_its_number_and_unknown_ids_read_as_null(api):
    admin = await make_employee("EMPLOYEE")
    created = await create(api, admin.token, JANSEN)
    query = "query($n: String!) { relationByNumber(number: $n) { id number } }"
    found = await api.gql(query, {"n": " 10001 "}, token=admin.token)
    assert found["relationByNumber"] == {"id": created["id"], "number": "10001"}
    for unknown in ("99999", "x" * 300, "nul\u0000byte", "'; drop table relation; --"):
        assert (await api.gql(query, {"n": unknown}, token=admin.token))["relationByNumber"] is None
    for rid in ("00000000-0000-4000-8000-000000000000", "garbage"):
        assert (await api.gql(GET, {"id": rid}, token=admin.token))["relation"] is None
