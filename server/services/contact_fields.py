"""ContactPersonInput -> contact_person columns (validation and normalisation, no database)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from server.errors import ErrorCollector
from server.models import ContactPerson
from server.services import identifiers
from server.services.input_fields import Block

TEXT_FIELDS = (
    ("initials", "initials"),
    ("firstName", "first_name"),
    ("prefix", "prefix"),
    ("department", "department"),
    ("jobTitle", "job_title"),
)


def parse_contact(
    data: Mapping[str, Any],
    current: ContactPerson | None,
    errors: ErrorCollector,
    *,
    person_given: bool,
) -> dict[str, Any]:
    """Columns to write for the fields given; a new contact needs a last name unless it is
    a person relation (whose names it takes)."""
    block = Block(data, ("input",), errors)
    columns: dict[str, Any] = {}
    for key, column in TEXT_FIELDS:
        block.put(columns, key, column, block.text(key, ContactPerson, column))
    if block.given("lastName") or (current is None and not person_given):
        last = block.text("lastName", ContactPerson, "last_name", required=True)
        if last:
            columns["last_name"] = last
    for key in ("phone", "mobile"):
        block.put(columns, key, key, block.normalised(key, identifiers.normalise_phone))
    block.put(columns, "email", "email", block.normalised("email", identifiers.normalise_email))
    if block.given("isPrimary"):
        columns["is_primary"] = bool(data["isPrimary"])
    return columns


def names_from_person(person: Mapping[str, Any]) -> dict[str, Any]:
    """A contact's names taken from the PERSON relation it is: roepnaam as first name."""
    first_names = (person.get("first_names") or "").split()
    return {
        "initials": person.get("initials"),
        "first_name": person.get("given_name") or (first_names[0] if first_names else None),
        "prefix": person.get("prefix"),
        "last_name": person.get("last_name") or "",
    }
