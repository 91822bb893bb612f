"""RelationInput -> relation columns: validation, normalisation and derived columns.

Pure functions (no database): `parse_relation` reads a RelationInput dict against the
current row (None when creating) and returns the columns to write plus the validated
addresses; every failure goes into the request's ErrorCollector with its full path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from server.errors import Code, DomainError, ErrorCollector
from server.models import Relation
from server.services import identifiers
from server.services.addresses import parse_addresses
from server.services.input_fields import Block
from server.services.party_fields import parse_organisation, parse_person
from server.services.relation_rows import KINDS, kinds_from_mask, mask_from_kinds

# Domain notes, "Legal forms and tax regime": transparent forms -> IB, capital companies -> VPB,
# foundations and associations -> none by default (VPB only when they run an enterprise).
TAX_REGIME_BY_LEGAL_FORM = {
    "EENMANSZAAK": "INCOME_TAX",
    "MAATSCHAP": "INCOME_TAX",
    "VOF": "INCOME_TAX",
    "CV": "INCOME_TAX",
    "REDERIJ": "INCOME_TAX",
    "BV": "CORPORATE_TAX",
    "NV": "CORPORATE_TAX",
    "SE": "CORPORATE_TAX",
    "COOPERATIE": "CORPORATE_TAX",
    "SCE": "CORPORATE_TAX",
    "ONDERLINGE_WAARBORGMAATSCHAPPIJ": "CORPORATE_TAX",
    "BUITENLANDSE_RECHTSVORM": "CORPORATE_TAX",
    "STICHTING": "NONE",
    "VERENIGING": "NONE",
    "VERENIGING_VAN_EIGENAARS": "NONE",
    "KERKGENOOTSCHAP": "NONE",
    "PUBLIEKRECHTELIJKE_RECHTSPERSOON": "NONE",
    "OVERIG": "NONE",
}
# A natural person's RSIN is their BSN: these forms have no RSIN of their own.
FORMS_WITHOUT_OWN_RSIN = frozenset({"EENMANSZAAK"})
STATUSES = ("ACTIVE", "INACTIVE")  # ARCHIVED only through archiveRelation
PERSON_NAME_COLUMNS = ("initials", "first_names", "given_name", "prefix", "last_name")
SBR_DEFAULTS = {
    "sbr_registered_seat": None,
    "sbr_size_category": None,
    "sbr_financial_year_start": None,
    "sbr_reporting_currency": "EUR",
    "sbr_consolidates": None,
    "sbr_filing_contact_id": None,
}


@dataclass
class ParsedRelation:
    """What a RelationInput asks to write; `addresses` is None when not given."""

    columns: dict[str, Any] = field(default_factory=dict)
    addresses: list[dict[str, Any]] | None = None


def derive_tax_regime(party_type: str | None, legal_form: str | None) -> str:
    """The tax regime implied by party type and legal form (persons pay income tax)."""
    if party_type == "PERSON":
        return "INCOME_TAX"
    return TAX_REGIME_BY_LEGAL_FORM.get(legal_form or "", "NONE")


def person_display_name(row: Mapping[str, Any]) -> str:
    """ "J. van der Berg": initials (else roepnaam, else first names), tussenvoegsel, last name."""
    first = row.get("initials") or row.get("given_name") or row.get("first_names")
    parts = [first, row.get("prefix"), row.get("last_name")]
    return " ".join(p for p in parts if p)


def person_sort_name(row: Mapping[str, Any]) -> str:
    """Sorted on the last name without tussenvoegsel: "berg, j. van der"."""
    first = row.get("initials") or row.get("given_name") or row.get("first_names") or ""
    text = f"{row.get('last_name') or ''}, {first} {row.get('prefix') or ''}"
    return " ".join(identifiers.fold(text).split())[:300]


def names_of(row: Mapping[str, Any]) -> dict[str, str]:
    """display_name and sort_name of a relation row (person or organisation)."""
    if row.get("party_type") == "PERSON":
        return {"display_name": person_display_name(row), "sort_name": person_sort_name(row)}
    legal = row.get("legal_name") or ""
    return {"display_name": legal, "sort_name": " ".join(identifiers.fold(legal).split())[:300]}


def parse_relation(
    data: Mapping[str, Any],
    current: Mapping[str, Any] | None,
    errors: ErrorCollector,
    today: date,
) -> ParsedRelation:
    """Validate a RelationInput (create when `current` is None) into columns to write."""
    block = Block(data, ("input",), errors)
    out = ParsedRelation()
    cols = out.columns
    party = _party_type(block, current, cols)
    kinds = _kinds(block, current, cols)
    _agency_type(block, current, kinds, cols)
    _status(block, current, cols)
    parse_person(block, party, current, cols, today)
    parse_organisation(block, party, current, cols, today)
    _sbr(block, cols)
    cols_of_channels(block, cols)
    _legal_form(block, party, cols)
    out.addresses = parse_addresses(block) if block.given("addresses") else None
    effective = {**(current or {}), **cols}
    _rsin_rule(block, effective)
    _derived(block, effective, current, cols)
    return out


def _party_type(block: Block, current: Mapping[str, Any] | None, cols: dict) -> str | None:
    given = block.data.get("partyType")
    if current is None:
        if given is None:
            block.fail("partyType", Code.REQUIRED, "Choose PERSON or ORGANISATION.")
        else:
            cols["party_type"] = given
        return given
    if block.given("partyType") and given != current["party_type"]:
        block.fail(
            "partyType",
            Code.INVALID,
            "The party type of a relation cannot change; create a new relation instead.",
        )
    return str(current["party_type"])


def _kinds(block: Block, current: Mapping[str, Any] | None, cols: dict) -> list[str]:
    if not block.given("kinds"):
        if current is None:
            cols["kinds_mask"] = mask_from_kinds(["CLIENT"])  # the common case for an office
            return ["CLIENT"]
        return kinds_from_mask(int(current["kinds_mask"]))
    kinds = [k for k in KINDS if k in (block.data["kinds"] or [])]
    if not kinds:
        block.fail("kinds", Code.REQUIRED, "A relation has at least one kind.")
    else:
        cols["kinds_mask"] = mask_from_kinds(kinds)
    return kinds


def _agency_type(
    block: Block, current: Mapping[str, Any] | None, kinds: list[str], cols: dict
) -> None:
    given = block.data.get("agencyType")
    if given is not None and "AGENCY" not in kinds:
        block.fail("agencyType", Code.INVALID, "Only a relation of kind AGENCY has an agency type.")
    elif "AGENCY" not in kinds:
        if current is not None and current.get("agency_type") is not None:
            cols["agency_type"] = None  # no longer an agency
    else:
        block.put(cols, "agencyType", "agency_type", given)


def _status(block: Block, current: Mapping[str, Any] | None, cols: dict) -> None:
    if not block.given("status"):
        if current is None:
            cols["status"] = "ACTIVE"
        return
    status = block.data["status"]
    if status not in STATUSES:
        message = "Use archiveRelation to archive." if status else "A relation has a status."
        block.fail("status", Code.INVALID if status else Code.REQUIRED, message)
        return
    cols["status"] = status
    if current is not None and current.get("archived_at") is not None:
        cols["archived_at"] = None  # restoring an archived relation


def _sbr(block: Block, cols: dict) -> None:
    if not block.given("sbr"):
        return
    data = block.data["sbr"]
    if data is None:
        cols.update(SBR_DEFAULTS)
        return
    sbr = block.child("sbr", data)
    sbr.put(
        cols,
        "registeredSeat",
        "sbr_registered_seat",
        sbr.text("registeredSeat", Relation, "sbr_registered_seat"),
    )
    sbr.put(cols, "sizeCategory", "sbr_size_category", data.get("sizeCategory"))
    sbr.put(
        cols,
        "financialYearStart",
        "sbr_financial_year_start",
        sbr.normalised("financialYearStart", identifiers.normalise_financial_year_start),
    )
    if sbr.given("reportingCurrency"):
        currency = sbr.normalised("reportingCurrency", identifiers.normalise_currency)
        cols["sbr_reporting_currency"] = currency or "EUR"
    sbr.put(cols, "consolidates", "sbr_consolidates", data.get("consolidates"))
    sbr.put(cols, "filingContactId", "sbr_filing_contact_id", data.get("filingContactId"))


def cols_of_channels(block: Block, cols: dict) -> None:
    """General e-mail, phone and website: stored normalised."""
    block.put(cols, "email", "email", block.normalised("email", identifiers.normalise_email))
    block.put(cols, "phone", "phone", block.normalised("phone", identifiers.normalise_phone))
    block.put(
        cols, "website", "website", block.normalised("website", identifiers.normalise_website)
    )


def _legal_form(block: Block, party: str | None, cols: dict) -> None:
    if not block.given("legalForm"):
        return
    form = block.data["legalForm"]
    if party == "PERSON" and form not in (None, "EENMANSZAAK"):
        block.fail(
            "legalForm", Code.INVALID, "A natural person can only have legal form EENMANSZAAK."
        )
        return
    cols["legal_form"] = form


def _rsin_rule(block: Block, effective: Mapping[str, Any]) -> None:
    if effective.get("rsin") and effective.get("legal_form") in FORMS_WITHOUT_OWN_RSIN:
        in_input = "rsin" in (block.data.get("organisation") or {})
        at = ("organisation", "rsin") if in_input else ("legalForm",)
        block.errors.add(
            DomainError(
                Code.INVALID,
                "An eenmanszaak has no RSIN of its own (it is the owner's BSN); leave it empty.",
                (*block.path, *at),
            )
        )


def _derived(
    block: Block, effective: dict[str, Any], current: Mapping[str, Any] | None, cols: dict
) -> None:
    """display_name, sort_name and the tax regime (explicit value wins, else derived)."""
    if block.given("taxRegime"):
        regime = block.data["taxRegime"]
        cols["tax_regime_explicit"] = regime is not None
        effective["tax_regime_explicit"] = regime is not None
        if regime is not None:
            cols["tax_regime"] = regime
    if not effective.get("tax_regime_explicit"):
        cols["tax_regime"] = derive_tax_regime(
            effective.get("party_type"), effective.get("legal_form")
        )
    names = names_of({**effective})
    for column, value in names.items():
        if current is None or current.get(column) != value:
            cols[column] = value
