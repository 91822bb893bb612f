"""The register's writes: create, update (partial) and archive a relation.

Each write is one unit of work: validation (all failures of the request together, see
relation_fields), uniqueness of KvK number and BSN, the relation row, its addresses, its
custom values, versions for every row, the agreed events and the search tokens. Any
failure raises before COMMIT, so a refused request leaves nothing behind.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from tortoise.exceptions import IntegrityError

from server.auth.permissions import Actor
from server.errors import Code, DomainError, ErrorCollector
from server.models import ContactPerson, Relation
from server.services import contacts as contact_service
from server.services.addresses import replace_addresses
from server.services.graph import office_date
from server.services.numbering import next_relation_number
from server.services.party_fields import BSN_COLUMNS
from server.services.relation_fields import PERSON_NAME_COLUMNS, parse_relation
from server.services.search_index import reindex
from server.services.unit import Unit, row_state, unit_of_work

# Placeholders for a refused create: the row only exists to validate custom values
# against, and is rolled back with everything else.
_SHELL = {"party_type": "", "display_name": "", "sort_name": ""}
# bsn_index is an equality key, no business of linked systems.
EVENT_HIDDEN = frozenset({"bsn_index"})


def relation_uuid(value: Any, path: tuple[str, ...] = ("id",)) -> str:
    """A relation id as a canonical UUID string; NOT_FOUND for anything else."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise DomainError(Code.NOT_FOUND, "No such relation.", path) from None


def event_data(entity: str, entity_id: Any, changes: dict, state: Mapping | None) -> dict:
    """The agreed event payload: entity, id, changes and the current state (or None)."""
    data = None if state is None else {k: v for k, v in state.items() if k not in EVENT_HIDDEN}
    return {"entity": entity, "id": str(entity_id), "changes": changes, "data": data}


async def create_relation(actor: Actor | None, data: Mapping[str, Any]) -> str:
    """Register a new relation (RelationInput as a dict); returns its id."""
    errors = ErrorCollector()
    parsed = parse_relation(data, None, errors, office_date())
    columns = parsed.columns
    async with unit_of_work(actor) as unit:
        await _check_unique(columns, None, errors)
        if columns.pop("sbr_filing_contact_id", None) is not None:
            errors.add(_no_filing_contact())  # a new relation has no contacts yet
        async with _unique_race():
            relation = await Relation.create(
                id=uuid.uuid4(),
                number=await next_relation_number(),
                created_at=unit.now,
                updated_at=unit.now,
                **({**_SHELL, **columns} if errors else columns),
            )
        await _custom_values(unit, relation.id, data, creating=True, errors=errors)
        errors.raise_if_any()
        state = row_state(relation)
        changes = unit.record("relation", relation.id, None, state, relation_id=relation.id)
        addresses = await replace_addresses(
            unit, relation.id, parsed.addresses or [], announce=False
        )
        payload = event_data("relation", relation.id, changes, state)
        payload["data"]["addresses"] = addresses  # one event tells the whole new relation
        unit.event("relation.created", relation.id, payload)
        await reindex([relation.id])
    return str(relation.id)


async def update_relation(actor: Actor | None, relation_id: Any, data: Mapping[str, Any]) -> str:
    """Change the fields given in `data` (a partial RelationInput); returns the id."""
    rid = relation_uuid(relation_id)
    errors = ErrorCollector()
    async with unit_of_work(actor) as unit:
        relation = await _locked(rid)
        before = row_state(relation)
        current = {name: getattr(relation, name) for name in Relation._meta.fields_db_projection}
        parsed = parse_relation(data, current, errors, office_date())
        await _check_unique(parsed.columns, rid, errors)
        await _check_filing_contact(parsed.columns, rid, errors)
        await _custom_values(unit, rid, data, creating=False, errors=errors)
        errors.raise_if_any()
        relation.update_from_dict(parsed.columns)
        if row_state(relation) != before:
            relation.updated_at = unit.now
            async with _unique_race():
                await relation.save()
        after = row_state(relation)
        changes = unit.record("relation", rid, before, after, relation_id=rid)
        if changes:
            unit.event("relation.updated", rid, event_data("relation", rid, changes, after))
        if parsed.addresses is not None:
            await replace_addresses(unit, rid, parsed.addresses)
        if relation.party_type == "PERSON" and set(changes) & set(PERSON_NAME_COLUMNS):
            await contact_service.follow_person_names(unit, relation)
        await reindex([rid])
    return rid


async def archive_relation(actor: Actor | None, relation_id: Any) -> str:
    """Set status ARCHIVED (kept, hidden from search by default); archiving twice is a no-op."""
    rid = relation_uuid(relation_id)
    async with unit_of_work(actor) as unit:
        relation = await _locked(rid)
        if relation.status == "ARCHIVED":
            return rid
        before = row_state(relation)
        relation.update_from_dict({"status": "ARCHIVED", "archived_at": unit.now})
        relation.updated_at = unit.now
        await relation.save()
        after = row_state(relation)
        changes = unit.record("relation", rid, before, after, relation_id=rid)
        unit.event("relation.archived", rid, event_data("relation", rid, changes, after))
        await reindex([rid])
    return rid


@asynccontextmanager
async def _unique_race() -> AsyncIterator[None]:
    """Two requests registering the same KvK number or BSN at the same moment both pass the
    check above; the unique index stops the second, which gets the CONFLICT it deserves."""
    try:
        yield
    except IntegrityError as error:
        field = ("person", "bsn") if "bsn" in str(error) else ("organisation", "kvkNumber")
        message = "Another relation was just registered with this number; search for it."
        raise DomainError(Code.CONFLICT, message, ("input", *field)) from None


async def _locked(rid: str) -> Relation:
    relation = await Relation.select_for_update().get_or_none(id=rid)
    if relation is None:
        raise DomainError(Code.NOT_FOUND, "No such relation.", ["id"])
    return relation


async def _check_unique(columns: dict[str, Any], rid: str | None, errors: ErrorCollector) -> None:
    """KvK number and BSN belong to one relation; the message names that relation's number."""
    checks = (
        ("kvk_number", ("kvk_number",), ("organisation", "kvkNumber"), "KvK number"),
        ("bsn_index", BSN_COLUMNS, ("person", "bsn"), "BSN"),
    )
    for column, clear, path, label in checks:
        value = columns.get(column)
        if value is None:
            continue
        query = Relation.filter(**{column: value})
        if rid is not None:
            query = query.exclude(id=rid)
        numbers = await query.values_list("number", flat=True)
        if numbers:
            message = f"This {label} is already registered for relation {numbers[0]}."
            errors.add(DomainError(Code.CONFLICT, message, ("input", *path)))
            for name in clear:
                columns.pop(name, None)


def _no_filing_contact() -> DomainError:
    return DomainError(
        Code.NOT_FOUND,
        "The filing contact must be a contact person of this relation.",
        ["input", "sbr", "filingContactId"],
    )


async def _check_filing_contact(columns: dict[str, Any], rid: str, errors: ErrorCollector) -> None:
    contact_id = columns.get("sbr_filing_contact_id")
    if contact_id is None:
        return
    try:
        contact_id = str(uuid.UUID(str(contact_id)))
    except ValueError:
        contact_id = None
    if contact_id is None or not await ContactPerson.exists(id=contact_id, relation_id=rid):
        errors.add(_no_filing_contact())
        columns.pop("sbr_filing_contact_id")
    else:
        columns["sbr_filing_contact_id"] = contact_id


async def _custom_values(
    unit: Unit, owner_id: Any, data: Mapping[str, Any], *, creating: bool, errors: ErrorCollector
) -> None:
    await contact_service.write_custom_values(
        unit, "RELATION", owner_id, owner_id, data, creating=creating, errors=errors
    )
