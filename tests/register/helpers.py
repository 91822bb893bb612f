"""GraphQL documents and small helpers shared by the register tests."""

from __future__ import annotations

from typing import Any

from server.models import (
    Address,
    ChangeEvent,
    ContactPerson,
    Counter,
    Relation,
    RelationSearchToken,
    Version,
)

ERRORS = "errors { field code message }"
RELATION_FIELDS = """id number displayName partyType kinds agencyType status legalForm taxRegime
  person { initials firstNames givenName prefix lastName dateOfBirth bsnMasked }
  organisation { legalName tradeNames kvkNumber establishmentNumber rsin vatNumber
                 payrollTaxNumber sbiCodes foundedOn }
  sbr { registeredSeat sizeCategory financialYearStart reportingCurrency consolidates
        filingContact { id lastName } }
  email phone website
  addresses { id type street houseNumber houseNumberAddition postalCode city countryCode }
  contacts { id lastName displayName isPrimary email phone mobile person { id } }
  contactRoles { id relation { id displayName } }
  createdAt updatedAt"""
CREATE = f"""mutation($i: RelationInput!) {{ createRelation(input: $i) {{
  relation {{ {RELATION_FIELDS} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($id: ID!, $i: RelationInput!) {{ updateRelation(id: $id, input: $i) {{
  relation {{ {RELATION_FIELDS} }} {ERRORS} }} }}"""
ARCHIVE = f"""mutation($id: ID!) {{ archiveRelation(id: $id) {{
  relation {{ id status }} {ERRORS} }} }}"""
GET = f"""query($id: ID!) {{ relation(id: $id) {{ {RELATION_FIELDS} }} }}"""
ADD_CONTACT = f"""mutation($r: ID!, $i: ContactPersonInput!) {{
  addContactPerson(relationId: $r, input: $i) {{
  contact {{ id initials firstName prefix lastName displayName department jobTitle phone mobile
            email isPrimary person {{ id displayName }} relation {{ id }} }} {ERRORS} }} }}"""
UPDATE_CONTACT = f"""mutation($id: ID!, $i: ContactPersonInput!) {{
  updateContactPerson(id: $id, input: $i) {{
  contact {{ id firstName lastName displayName email isPrimary person {{ id }} }} {ERRORS} }} }}"""
REMOVE_CONTACT = (
    f"""mutation($id: ID!) {{ removeContactPerson(id: $id) {{ deletedId {ERRORS} }} }}"""
)
SEARCH = """query($s: String, $f: RelationFilter, $n: Int, $a: String) {
  relations(search: $s, filter: $f, first: $n, after: $a) {
    edges { cursor node { id number displayName } }
    pageInfo { hasNextPage endCursor } totalCount } }"""

JANSEN = {
    "partyType": "PERSON",
    "kinds": ["CLIENT"],
    "person": {
        "initials": "J.",
        "firstNames": "Johannes Pieter",
        "givenName": "Jan",
        "prefix": "van der",
        "lastName": "Berg",
        "dateOfBirth": "1970-05-17",
        "bsn": "111222333",
    },
    "email": "jan@vanderberg.nl",
    "phone": "06 12345678",
    "addresses": [
        {
            "type": "VISITING",
            "street": "Kerkstraat",
            "houseNumber": "12",
            "postalCode": "1234 ab",
            "city": "Amsterdam",
        }
    ],
}
BAKKERIJ = {
    "partyType": "ORGANISATION",
    "kinds": ["CLIENT", "SUPPLIER"],
    "legalForm": "BV",
    "organisation": {
        "legalName": "Bakkerij de Korenschoof B.V.",
        "tradeNames": ["De Korenschoof", "Brood & Banket"],
        "kvkNumber": "1234 5678",
        "rsin": "004495445",
        "vatNumber": "NL004495445B01",
        "payrollTaxNumber": "004495445L01",
        "sbiCodes": ["10.71"],
        "foundedOn": "1998-03-01",
    },
    "sbr": {"registeredSeat": "Utrecht", "sizeCategory": "SMALL", "financialYearStart": "1-1"},
    "website": "korenschoof.nl",
    "addresses": [
        {
            "type": "VISITING",
            "street": "Oudegracht",
            "houseNumber": "100",
            "postalCode": "3511AB",
            "city": "Utrecht",
        },
        {
            "type": "POSTAL",
            "street": "Postbus",
            "houseNumber": "1234",
            "postalCode": "3500 AA",
            "city": "Utrecht",
        },
    ],
}


async def counts() -> dict[str, int]:
    """Rows per table that a register write touches (to prove a refused write wrote nothing)."""
    models: list[Any] = [
        Relation, Address, ContactPerson, RelationSearchToken, Version, ChangeEvent, Counter
    ]  # fmt: skip
    return {m.__name__: await m.all().count() for m in models}


async def create(api: Any, token: str, data: dict[str, Any]) -> dict[str, Any]:
    result = (await api.gql(CREATE, {"i": data}, token=token))["createRelation"]
    assert result["errors"] == [], result["errors"]
    return result["relation"]


def codes(errors: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((".".join(e["field"]), e["code"]) for e in errors)
