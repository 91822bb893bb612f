"""The client's own relations: typed links to its tax office, notary, bank, insurer ...

A link may name the contact person at the other side (the bank's account manager), who
must be a contact of that relation. Unlinking removes the row; the history keeps it.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from server.auth.permissions import Actor
from server.errors import Code, DomainError
from server.models import ContactPerson, RelationLink
from server.services.graph import (
    announce,
    current_q,
    event_data,
    lock_relations,
    office_date,
    parse_id,
)
from server.services.unit import row_state, unit_of_work

# In the contract's order, which is also the card's order.
LINK_TYPES = (
    "TAX_OFFICE",
    "NOTARY",
    "BANK",
    "INSURER",
    "PENSION_FUND",
    "LAWYER",
    "PAYROLL_PROVIDER",
    "PREVIOUS_ACCOUNTANT",
    "OTHER",
)


async def link_relation(
    actor: Actor | None,
    from_id: Any,
    to_id: Any,
    type: str,
    contact_id: Any = None,
    note: str | None = None,
    since: date | None = None,
) -> RelationLink:
    """Link `from` to one of its own relations `to` with a type, optionally naming the
    contact person at `to`.

    Refused: a self-link or a contact of another relation (INVALID), unknown relations or
    contact (NOT_FOUND), the same current link twice (CONFLICT).
    """
    if type not in LINK_TYPES:
        raise DomainError(Code.INVALID, "Unknown link type.", ["type"])
    source = parse_id(from_id, "fromId")
    target = parse_id(to_id, "toId")
    if source == target:
        raise DomainError(Code.INVALID, "A relation cannot be linked to itself.", ["toId"])
    contact = None if contact_id is None else parse_id(contact_id, "contactId", "Contact person")
    async with unit_of_work(actor) as unit:
        await lock_relations({"fromId": source, "toId": target})
        if contact is not None:
            await _require_contact_of(contact, target)
        duplicate = RelationLink.filter(
            current_q(office_date(unit.now)),
            from_relation_id=source,
            to_relation_id=target,
            type=type,
        )
        if await duplicate.exists():
            raise DomainError(Code.CONFLICT, "This link already exists.", ["toId"])
        row = RelationLink(
            id=uuid.uuid4(),
            from_relation_id=source,
            to_relation_id=target,
            type=type,
            contact_id=contact,
            note=(note or "").strip() or None,
            since=since,
        )
        await row.save()
        after = row_state(row)
        changes = unit.record(
            "link", row.id, None, after, relation_id=source, other_relation_id=target
        )
        announce(unit, "link.added", [source, target], event_data("link", row.id, changes, after))
    return row


async def _require_contact_of(contact: uuid.UUID, relation: uuid.UUID) -> None:
    rows = await ContactPerson.filter(id=contact).values_list("relation_id", flat=True)
    if not rows:
        raise DomainError(Code.NOT_FOUND, "Contact person not found.", ["contactId"])
    if str(rows[0]) != str(relation):
        raise DomainError(
            Code.INVALID, "The contact person must belong to the linked relation.", ["contactId"]
        )


async def unlink_relation(actor: Actor | None, link_id: Any) -> str:
    """Remove a link (both relations hear it); returns the removed link's id."""
    lid = parse_id(link_id, "id", "Link")
    async with unit_of_work(actor) as unit:
        row = await RelationLink.select_for_update().get_or_none(id=lid)
        if row is None:
            raise DomainError(Code.NOT_FOUND, "Link not found.", ["id"])
        before = row_state(row)
        source, target = row.from_relation_id, row.to_relation_id  # type: ignore[attr-defined]
        await row.delete()
        changes = unit.record(
            "link", lid, before, None, relation_id=source, other_relation_id=target
        )
        announce(unit, "link.removed", [source, target], event_data("link", lid, changes, None))
    return str(lid)
