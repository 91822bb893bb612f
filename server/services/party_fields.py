"""The person and organisation blocks of a RelationInput -> relation columns.

Exactly one block applies, by party type: the other block is refused (INVALID), the right
one is REQUIRED on create. The BSN is stored encrypted with a blind index (for uniqueness)
and its last four digits (for bsnMasked); it never leaves this module in clear.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from server.auth import secretbox
from server.errors import Code
from server.models import Relation
from server.services import identifiers
from server.services.input_fields import Block

EARLIEST_BIRTH = date(1850, 1, 1)
EARLIEST_FOUNDING = date(1000, 1, 1)
BSN_COLUMNS = ("bsn_encrypted", "bsn_index", "bsn_last_digits")


def parse_person(
    block: Block, party: str | None, current: Mapping[str, Any] | None, cols: dict, today: date
) -> None:
    """The person block (initials ... BSN) into `cols`; only the fields given."""
    data = block.data.get("person")
    if not _block_allowed(block, "person", data, party, "PERSON", current is None) or not data:
        return
    person = block.child("person", data)
    for key, column in (("initials", "initials"), ("firstNames", "first_names")):
        person.put(cols, key, column, person.text(key, Relation, column))
    person.put(cols, "givenName", "given_name", person.text("givenName", Relation, "given_name"))
    person.put(cols, "prefix", "prefix", person.text("prefix", Relation, "prefix"))
    last = person.text("lastName", Relation, "last_name", required=True)
    if last:
        cols["last_name"] = last
    person.put(
        cols, "dateOfBirth", "date_of_birth", person.past_date("dateOfBirth", today, EARLIEST_BIRTH)
    )
    if person.given("bsn"):
        _bsn(person, current, cols)


def _bsn(person: Block, current: Mapping[str, Any] | None, cols: dict) -> None:
    if person.data.get("bsn") is None or not str(person.data["bsn"]).strip():
        cols.update(dict.fromkeys(BSN_COLUMNS))
        return
    bsn = person.normalised("bsn", identifiers.normalise_bsn)
    if bsn is None:
        return
    index = secretbox.blind_index("bsn", bsn)
    if current is not None and current.get("bsn_index") == index:
        return  # unchanged: re-encrypting would only churn the history
    cols.update(bsn_encrypted=secretbox.encrypt(bsn), bsn_index=index, bsn_last_digits=bsn[-4:])


def parse_organisation(
    block: Block, party: str | None, current: Mapping[str, Any] | None, cols: dict, today: date
) -> None:
    """The organisation block (legal name, trade names, numbers, SBI codes) into `cols`."""
    data = block.data.get("organisation")
    allowed = _block_allowed(block, "organisation", data, party, "ORGANISATION", current is None)
    if not allowed or not data:
        return
    org = block.child("organisation", data)
    legal = org.text("legalName", Relation, "legal_name", required=True)
    if legal:
        cols["legal_name"] = legal
    if org.given("tradeNames"):
        cols["trade_names"] = _trade_names(org)
    for key, column, normalise in (
        ("kvkNumber", "kvk_number", identifiers.normalise_kvk),
        ("establishmentNumber", "establishment_number", identifiers.normalise_establishment_number),
        ("rsin", "rsin", identifiers.normalise_rsin),
        ("vatNumber", "vat_number", identifiers.normalise_vat_number),
        ("payrollTaxNumber", "payroll_tax_number", identifiers.normalise_payroll_tax_number),
    ):
        org.put(cols, key, column, org.normalised(key, normalise))
    if org.given("sbiCodes"):
        cols["sbi_codes"] = _sbi_codes(org)
    org.put(cols, "foundedOn", "founded_on", org.past_date("foundedOn", today, EARLIEST_FOUNDING))


def _block_allowed(
    block: Block, key: str, data: Any, party: str | None, wanted: str, creating: bool
) -> bool:
    """Whether the person/organisation block applies; the wrong block is an error."""
    if party is None:
        return data is not None  # party type missing (already reported): still check the block
    if party != wanted:
        if data is not None:
            article = "a PERSON" if wanted == "PERSON" else "an ORGANISATION"
            block.fail(key, Code.INVALID, f"These details belong to {article} relation only.")
        return False
    if data is None and (creating or block.given(key)):
        block.fail(key, Code.REQUIRED, f"A relation of party type {wanted} needs these details.")
        return False
    return data is not None


def _trade_names(org: Block) -> list[str]:
    names: list[str] = []
    for index, raw in enumerate(org.data.get("tradeNames") or []):
        name = " ".join(str(raw).split())
        if len(name) > 300:
            org.fail(index, Code.INVALID, "A trade name has at most 300 characters.")
        elif name and name not in names:
            names.append(name)
    return names


def _sbi_codes(org: Block) -> list[str]:
    codes: list[str] = []
    codes_block = org.child(
        "sbiCodes", {str(i): v for i, v in enumerate(org.data["sbiCodes"] or [])}
    )
    for key in codes_block.data:
        code = codes_block.normalised(key, identifiers.normalise_sbi_code)
        if code and code not in codes:
            codes.append(code)
    return codes
