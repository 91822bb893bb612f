"""Contact persons of a relation: add, update (partial), remove, and the primary flag.

A contact may point at an existing PERSON relation (`personId`): the human is stored once,
the contact's names follow that person's names (also later, see follow_person_names).
At most one contact per relation is primary: making one primary demotes the others.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from server.auth.permissions import Actor
from server.errors import Code, DomainError, ErrorCollector
from server.models import ContactPerson, Relation
from server.services import contact_cleanup
from server.services.contact_fields import names_from_person, parse_contact
from server.services.search_index import reindex
from server.services.unit import Unit, row_state, unit_of_work


def relation_of(contact: ContactPerson) -> str:
    """The contact's relation id (Tortoise leaves FK id attributes untyped)."""
    return str(vars(contact)["relation_id"])


def person_of(contact: ContactPerson) -> str | None:
    value = vars(contact).get("person_id")
    return None if value is None else str(value)


def _uuid(value: Any, path: tuple[str, ...], what: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise DomainError(Code.NOT_FOUND, f"No such {what}.", path) from None


def event_data(contact_id: Any, changes: dict, state: Mapping | None) -> dict:
    return {"entity": "contact", "id": str(contact_id), "changes": changes, "data": state}


async def add_contact(actor: Actor | None, relation_id: Any, data: Mapping[str, Any]) -> str:
    """Add a contact person to a relation (ContactPersonInput as a dict); returns its id."""
    rid = _uuid(relation_id, ("relationId",), "relation")
    errors = ErrorCollector()
    async with unit_of_work(actor) as unit:
        if not await Relation.select_for_update().filter(id=rid).exists():
            raise DomainError(Code.NOT_FOUND, "No such relation.", ["relationId"])
        person = await _person(data, rid, None, errors)
        # With a personId (even a refused one) the names come from the person.
        columns = parse_contact(data, None, errors, person_given=data.get("personId") is not None)
        if person is not None:
            columns = {**names_from_person(person), **columns, "person_id": person["id"]}
        contact = await ContactPerson.create(
            id=uuid.uuid4(),
            relation_id=rid,
            created_at=unit.now,
            **({"last_name": "", **columns} if errors else columns),
        )
        await write_custom_values(unit, "CONTACT_PERSON", contact.id, rid, data, True, errors)
        errors.raise_if_any()
        if contact.is_primary:
            await _demote_others(unit, rid, contact.id)
        state = row_state(contact)
        changes = unit.record(
            "contact",
            contact.id,
            None,
            state,
            relation_id=rid,
            other_relation_id=person_of(contact),
        )
        unit.event("contact.added", rid, event_data(contact.id, changes, state))
        await reindex([rid])
    return str(contact.id)


async def update_contact(actor: Actor | None, contact_id: Any, data: Mapping[str, Any]) -> str:
    """Change the fields given in `data` (a partial ContactPersonInput); returns the id."""
    cid = _uuid(contact_id, ("id",), "contact person")
    errors = ErrorCollector()
    async with unit_of_work(actor) as unit:
        contact = await _locked(cid)
        before = row_state(contact)
        person = await _person(data, str(relation_of(contact)), contact, errors)
        columns = parse_contact(data, contact, errors, person_given=True)
        if person is not None and str(person["id"]) != str(person_of(contact)):
            columns = {**names_from_person(person), **columns, "person_id": person["id"]}
        elif data.get("personId", "") is None:
            columns["person_id"] = None  # unlinked: the names stay as they are
        await write_custom_values(
            unit, "CONTACT_PERSON", cid, relation_of(contact), data, False, errors
        )
        errors.raise_if_any()
        contact.update_from_dict(columns)
        await _save_and_record(unit, contact, before, "contact.updated")
        if contact.is_primary and not before["is_primary"]:
            await _demote_others(unit, relation_of(contact), contact.id)
        await reindex([relation_of(contact)])
    return cid


async def remove_contact(actor: Actor | None, contact_id: Any) -> str:
    """Delete a contact person; links, appointments and the SBR filing contact let go of it."""
    cid = _uuid(contact_id, ("id",), "contact person")
    async with unit_of_work(actor) as unit:
        contact = await _locked(cid)
        rid = relation_of(contact)
        await contact_cleanup.release(unit, contact)
        before = row_state(contact)
        await contact.delete()
        changes = unit.record(
            "contact", cid, before, None, relation_id=rid, other_relation_id=person_of(contact)
        )
        unit.event("contact.removed", rid, event_data(cid, changes, None))
        await reindex([rid])
    return cid


async def follow_person_names(unit: Unit, person: Relation) -> None:
    """Copy a PERSON relation's (changed) names onto the contacts that are this person."""
    columns = ("initials", "given_name", "first_names", "prefix", "last_name")
    names = names_from_person({column: getattr(person, column) for column in columns})
    touched = set()
    for contact in await ContactPerson.filter(person_id=person.id).select_for_update():
        before = row_state(contact)
        contact.update_from_dict(names)
        if await _save_and_record(unit, contact, before, "contact.updated"):
            touched.add(str(relation_of(contact)))
    await reindex(touched)


async def _save_and_record(unit: Unit, contact: ContactPerson, before: dict, event: str) -> bool:
    after = row_state(contact)
    if after == before:
        return False
    await contact.save()
    changes = unit.record(
        "contact",
        contact.id,
        before,
        after,
        relation_id=relation_of(contact),
        other_relation_id=person_of(contact) or before.get("person_id"),
    )
    unit.event(event, relation_of(contact), event_data(contact.id, changes, after))
    return True


async def _demote_others(unit: Unit, relation_id: Any, primary_id: Any) -> None:
    """At most one primary contact per relation."""
    others = ContactPerson.filter(relation_id=relation_id, is_primary=True).exclude(id=primary_id)
    for other in await others.select_for_update():
        before = row_state(other)
        other.is_primary = False
        await _save_and_record(unit, other, before, "contact.updated")


async def _locked(cid: str) -> ContactPerson:
    contact = await ContactPerson.select_for_update().get_or_none(id=cid)
    if contact is None:
        raise DomainError(Code.NOT_FOUND, "No such contact person.", ["id"])
    # The relation row is locked too: primary-flag changes of one relation serialise.
    await Relation.select_for_update().filter(id=relation_of(contact)).exists()
    return contact


async def _person(
    data: Mapping[str, Any], rid: str, contact: ContactPerson | None, errors: ErrorCollector
) -> dict[str, Any] | None:
    """The PERSON relation named by personId (validated), or None when not given/null."""
    raw = data.get("personId")
    if raw is None:
        return None
    path = ("input", "personId")
    try:
        pid = _uuid(raw, path, "person")
        row = await Relation.get_or_none(id=pid).values(
            "id", "party_type", "initials", "given_name", "first_names", "prefix", "last_name"
        )
        if row is None:
            raise DomainError(Code.NOT_FOUND, "No such person.", path)
        if row["party_type"] != "PERSON":
            raise DomainError(Code.INVALID, "A contact can only be a PERSON relation.", path)
        if pid == rid:
            raise DomainError(Code.INVALID, "A relation cannot be its own contact person.", path)
        duplicate = ContactPerson.filter(relation_id=rid, person_id=pid)
        if contact is not None:
            duplicate = duplicate.exclude(id=contact.id)
        if await duplicate.exists():
            raise DomainError(
                Code.CONFLICT, "This person is already a contact of this relation.", path
            )
    except DomainError as error:
        errors.add(error)
        return None
    return row


async def write_custom_values(
    unit: Unit,
    target: str,
    owner_id: Any,
    relation_id: Any,
    data: Mapping[str, Any],
    creating: bool,
    errors: ErrorCollector,
) -> None:
    """The owner's custom values through the custom-fields service, errors collected."""
    try:
        from server.services.custom_field_values import EVENT, current_values
        from server.services.custom_fields import write_values
    except ImportError:  # pragma: no cover - the custom-fields service is optional here
        return
    path = ("input", "customFields")
    changes: dict[str, list] = {}
    with errors.field(*path):
        changes = await write_values(
            unit, target, str(owner_id), data.get("customFields"), creating=creating, path=path
        )
    if changes and not errors:
        owner = str(owner_id)
        entity = "relation" if target == "RELATION" else "contact"
        current = (await current_values(target, [owner]))[owner]
        data = {"entity": entity, "id": owner, "changes": changes, "data": current}
        unit.event(EVENT, relation_id, data)
