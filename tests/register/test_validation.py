"""Refused input: each bad field a UserError with path and code, all at once, nothing written."""

from __future__ import annotations

from tests.factories import make_employee
from tests.register.helpers import BAKKERIJ, CREATE, JANSEN, UPDATE, codes, counts, create


async def refused(api, token, data):
    result = (await api.gql(CREATE, {"i": data}, token=token))["createRelation"]
    assert result["relation"] is None
    return result["errors"]


async def test_every_bad_field_is_reported_at_once_with_its_path_and_nothing_is_written(api):
    admin = await make_employee("ADMIN")
    before = await counts()
    data = {
        "partyType": "ORGANISATION",
        "organisation": {
            "legalName": " ",
            "kvkNumber": "0012345",
            "establishmentNumber": "12345",
            "rsin": "123456789",
            "vatNumber": "NL123456789B00",
            "payrollTaxNumber": "123456789L00",
            "sbiCodes": ["62.01", "x"],
        },
        "sbr": {"financialYearStart": "02-30", "reportingCurrency": "XXX"},
        "email": "not-an-address",
        "phone": "12345",
        "website": "not a website",
        "addresses": [
            {"type": "VISITING", "street": "", "houseNumber": "12a", "postalCode": "1234 SA",
             "city": "Utrecht"},
            {"type": "VISITING", "street": "Dorpsstraat", "houseNumber": "1", "postalCode": "9999",
             "city": "", "countryCode": "XX"},
        ],
    }  # fmt: skip
    errors = await refused(api, admin.token, data)
    assert codes(errors) == [
        ("input.addresses.0.houseNumber", "INVALID"),
        ("input.addresses.0.postalCode", "INVALID_POSTAL_CODE"),
        ("input.addresses.0.street", "REQUIRED"),
        ("input.addresses.1.city", "REQUIRED"),
        ("input.addresses.1.countryCode", "INVALID"),
        ("input.addresses.1.postalCode", "INVALID_POSTAL_CODE"),
        ("input.addresses.1.type", "INVALID"),
        ("input.email", "INVALID_EMAIL"),
        ("input.organisation.establishmentNumber", "INVALID_ESTABLISHMENT_NUMBER"),
        ("input.organisation.kvkNumber", "INVALID_KVK"),
        ("input.organisation.legalName", "REQUIRED"),
        ("input.organisation.payrollTaxNumber", "INVALID_PAYROLL_TAX_NUMBER"),
        ("input.organisation.rsin", "INVALID_RSIN"),
        ("input.organisation.sbiCodes.1", "INVALID"),
        ("input.organisation.vatNumber", "INVALID_VAT_NUMBER"),
        ("input.phone", "INVALID_PHONE"),
        ("input.sbr.financialYearStart", "INVALID"),
        ("input.sbr.reportingCurrency", "INVALID"),
        ("input.website", "INVALID_URL"),
    ]
    assert await counts() == before


async def test_the_wrong_details_block_for_the_party_type_is_refused(api):
    admin = await make_employee("ADMIN")
    before = await counts()
    person_with_company = {
        "partyType": "PERSON",
        "person": {"lastName": "Jansen"},
        "organisation": {"legalName": "Jansen BV"},
    }
    assert codes(await refused(api, admin.token, person_with_company)) == [
        ("input.organisation", "INVALID")
    ]
    company_with_person = {"partyType": "ORGANISATION", "person": {"lastName": "Jansen"}}
    assert codes(await refused(api, admin.token, company_with_person)) == [
        ("input.organisation", "REQUIRED"),
        ("input.person", "INVALID"),
    ]
    assert codes(await refused(api, admin.token, {"person": {"lastName": "Jansen"}})) == [
        ("input.partyType", "REQUIRED")
    ]
    assert await counts() == before


async def test_kinds_agency_type_status_and_legal_form_rules(api):
    admin = await make_employee("ADMIN")
    org = {"partyType": "ORGANISATION", "organisation": {"legalName": "X"}}
    assert codes(await refused(api, admin.token, {**org, "kinds": []})) == [
        ("input.kinds", "REQUIRED")
    ]
    assert codes(await refused(api, admin.token, {**org, "agencyType": "BANK"})) == [
        ("input.agencyType", "INVALID")
    ]
    assert codes(await refused(api, admin.token, {**org, "status": "ARCHIVED"})) == [
        ("input.status", "INVALID")
    ]
    person = {"partyType": "PERSON", "person": {"lastName": "Bos"}, "legalForm": "BV"}
    assert codes(await refused(api, admin.token, person)) == [("input.legalForm", "INVALID")]
    sole_trader = {
        "partyType": "ORGANISATION",
        "legalForm": "EENMANSZAAK",
        "organisation": {"legalName": "Bos Hoveniers", "rsin": "111222333"},
    }
    assert codes(await refused(api, admin.token, sole_trader)) == [
        ("input.organisation.rsin", "INVALID")
    ]


async def test_dates_in_the_future_are_refused(api):
    admin = await make_employee("ADMIN")
    data = {"partyType": "PERSON", "person": {"lastName": "Bos", "dateOfBirth": "2999-01-01"}}
    assert codes(await refused(api, admin.token, data)) == [("input.person.dateOfBirth", "INVALID")]


async def test_a_second_relation_with_the_same_kvk_number_is_a_conflict_naming_the_first(api):
    admin = await make_employee("ADMIN")
    first = await create(api, admin.token, BAKKERIJ)
    before = await counts()
    again = {
        "partyType": "ORGANISATION",
        "organisation": {"legalName": "Kopie", "kvkNumber": "12345678"},
    }
    errors = await refused(api, admin.token, again)
    assert errors == [
        {
            "field": ["input", "organisation", "kvkNumber"],
            "code": "CONFLICT",
            "message": f"This KvK number is already registered for relation {first['number']}.",
        }
    ]
    assert await counts() == before


async def test_a_second_relation_with_the_same_bsn_is_a_conflict_without_echoing_it(api):
    admin = await make_employee("ADMIN")
    first = await create(api, admin.token, JANSEN)
    again = {"partyType": "PERSON", "person": {"lastName": "Ander", "bsn": "111 222 333"}}
    errors = await refused(api, admin.token, again)
    assert errors == [
        {
            "field": ["input", "person", "bsn"],
            "code": "CONFLICT",
            "message": f"This BSN is already registered for relation {first['number']}.",
        }
    ]
    assert "111222333" not in str(errors)


async def test_an_update_to_a_taken_kvk_number_is_a_conflict_and_changes_nothing(api):
    admin = await make_employee("ADMIN")
    first = await create(api, admin.token, BAKKERIJ)
    other = await create(
        api, admin.token, {"partyType": "ORGANISATION", "organisation": {"legalName": "Ander"}}
    )
    before = await counts()
    change = {
        "email": "info@ander.nl",
        "organisation": {"legalName": "Ander", "kvkNumber": "12345678"},
    }
    result = await api.gql(UPDATE, {"id": other["id"], "i": change}, token=admin.token)
    result = result["updateRelation"]
    assert codes(result["errors"]) == [("input.organisation.kvkNumber", "CONFLICT")]
    assert first["number"] in result["errors"][0]["message"]
    assert await counts() == before


async def test_the_party_type_of_a_relation_cannot_change(api):
    admin = await make_employee("ADMIN")
    person = await create(api, admin.token, JANSEN)
    change = {"partyType": "ORGANISATION", "organisation": {"legalName": "Jansen BV"}}
    result = await api.gql(UPDATE, {"id": person["id"], "i": change}, token=admin.token)
    assert codes(result["updateRelation"]["errors"]) == [
        ("input.organisation", "INVALID"),
        ("input.partyType", "INVALID"),
    ]


async def test_an_unknown_relation_is_not_found(api):
    admin = await make_employee("ADMIN")
    for rid in ("00000000-0000-4000-8000-000000000000", "not-an-id"):
        result = await api.gql(UPDATE, {"id": rid, "i": {"email": "a@b.nl"}}, token=admin.token)
        assert codes(result["updateRelation"]["errors"]) == [("id", "NOT_FOUND")]
