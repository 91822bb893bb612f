"""A relation's addresses: validating AddressInputs and replacing the stored list.

One address per type (VISITING, POSTAL, REGISTERED_OFFICE). Replacing matches the new
list to the stored one by type, so an edited address keeps its id and its history shows
the fields that changed; every created, changed or removed address is recorded and
announced as relation.updated (entity "address").
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from server.errors import Code
from server.models import Address
from server.services import identifiers
from server.services.input_fields import Block
from server.services.unit import Unit, row_state

ADDRESS_COLUMNS = (
    "type", "street", "house_number", "house_number_addition", "postal_code", "city",
    "country_code", "position",
)  # fmt: skip


async def replace_addresses(
    unit: Unit, relation_id: Any, wanted: Sequence[dict[str, Any]], *, announce: bool = True
) -> list[dict[str, Any]]:
    """Make the relation's addresses equal to `wanted` (validated columns), recording each
    change; `announce` adds a relation.updated event per change. Returns the new states."""
    stored = {a.type: a for a in await Address.filter(relation_id=relation_id)}
    states = []
    for columns in wanted:
        address = stored.pop(columns["type"], None)
        before = row_state(address) if address else None
        if address is None:
            address = await Address.create(id=uuid.uuid4(), relation_id=relation_id, **columns)
        else:
            address.update_from_dict(columns)
            if row_state(address) != before:
                await address.save()
        states.append(row_state(address))
        _record(unit, relation_id, address.id, before, states[-1], announce)
    for address in stored.values():
        before = row_state(address)
        await address.delete()
        _record(unit, relation_id, address.id, before, None, announce)
    return states


def _record(
    unit: Unit,
    relation_id: Any,
    address_id: Any,
    before: dict | None,
    after: dict | None,
    announce: bool,
) -> None:
    changes = unit.record("address", address_id, before, after, relation_id=relation_id)
    if announce and (before is None or changes):
        data = {"entity": "address", "id": str(address_id), "changes": changes, "data": after}
        unit.event("relation.updated", relation_id, data)


def parse_addresses(block: Block) -> list[dict[str, Any]]:
    """Validated address columns, in the given order; one address per type."""
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for index, data in enumerate(block.data.get("addresses") or []):
        item = block.child("addresses", {}).child(index, data)
        kind = data.get("type")
        if kind in seen:
            item.fail("type", Code.INVALID, "A relation has one address of each type.")
        seen.add(kind)
        out.append(_address(item, index))
    return out


def _address(item: Block, position: int) -> dict[str, Any]:
    country = "NL"
    if item.data.get("countryCode") is not None:
        country = item.normalised("countryCode", identifiers.normalise_country_code) or "NL"
    number = item.text("houseNumber", Address, "house_number", required=True)
    if number and country == "NL" and not (number.isdigit() and 0 < int(number) < 100_000):
        item.fail(
            "houseNumber",
            Code.INVALID,
            "A Dutch house number is digits only; put letters in houseNumberAddition.",
        )
    return {
        "type": item.data.get("type"),
        "street": item.text("street", Address, "street", required=True),
        "house_number": number,
        "house_number_addition": item.text("houseNumberAddition", Address, "house_number_addition"),
        "postal_code": _postal_code(item, country),
        "city": item.text("city", Address, "city", required=True),
        "country_code": country,
        "position": position,
    }


def _postal_code(item: Block, country: str) -> str | None:
    raw = item.data.get("postalCode")
    if raw is None or not str(raw).strip():
        item.fail("postalCode", Code.REQUIRED, "This field is required.")
        return None
    return item.normalised(
        "postalCode", lambda value: identifiers.normalise_postal_code(value, country)
    )
