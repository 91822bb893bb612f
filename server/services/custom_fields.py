"""Custom field values of relations and contact persons: writing them and filtering on them.

Rules (the API documents the same):
- Every given value is checked against its definition (custom_field_types.py); an unknown
  key is NOT_FOUND, a key of a deactivated definition INVALID, a key given twice INVALID.
  All failures of a request are reported together and nothing is written.
- A null (or an empty text / empty multi-choice) clears a value: its row is deleted.
- Required: after every write of a target (create or update, also one that gives no
  custom values) each ACTIVE required definition of that target has a non-null value.
  Deactivated definitions are never required.
- History: each value row is the entity "custom_value" (relation_id = the relation, for a
  contact's value the contact's relation); changes are reported keyed by the field key.
"""

from __future__ import annotations

import uuid
from typing import Any

from tortoise.expressions import Subquery

from server.auth.permissions import Actor
from server.errors import Code, DomainError, ErrorCollector
from server.models import ContactPerson, CustomFieldDefinition, CustomFieldValueKey, Relation
from server.services.custom_field_types import TARGETS, Definition, clean_value, filter_key
from server.services.custom_field_values import (
    EVENT,
    Owner,
    StoredValue,
    current_values,
    save_value,
    stored_values,
)
from server.services.unit import Unit, unit_of_work

__all__ = ["relation_filter_subquery", "set_custom_fields", "write_values"]

# Written out: a model's projection lacks its foreign keys until Tortoise is initialised, and
# a server worker process imports this module before that.
DEFINITION_COLUMNS = (
    "id", "key", "label", "target", "type", "choices", "required", "group", "active",
    "position", "created_at",
)  # fmt: skip
VALUE_COLUMNS = ("id", "definition_id", "relation_id", "contact_id", "value")


async def write_values(
    unit: Unit,
    target: str,
    owner_id: str,
    values: list[dict] | None,
    *,
    creating: bool,
    path: tuple[str, ...],
) -> dict[str, list]:
    """Validate and write the custom values of one relation or contact person.

    `values` are CustomFieldValueInput dicts ({"key", "value"}) or None when not given;
    `creating` says the target is new (every active required field must be given). Error
    paths are `(*path, index, "key" | "value")`, or `path` for a required field not given.
    Returns {key: [old, new]} of what changed. Raises DomainError(s): the caller's unit of
    work then rolls back, so a refused request writes nothing.
    """
    owner = await _owner(target, owner_id, path)
    definitions = await _definitions(target)
    stored = await _stored(owner)
    errors = ErrorCollector()
    wanted, given_at = _validated(definitions, values or [], path, errors)
    _check_required(definitions, stored, wanted, given_at, creating, path, errors)
    errors.raise_if_any()
    changes: dict[str, list] = {}
    for key, value in wanted.items():
        definition = definitions[key]
        change = await save_value(unit, definition, owner, stored.get(definition.id), value)
        if change is not None:
            changes[key] = change
    return changes


async def set_custom_fields(actor: Actor | None, relation_id: str, values: list[dict]) -> str:
    """The setCustomFields mutation: write a relation's values, one custom_fields.updated event."""
    found = _uuid(relation_id)
    if found is None or not await Relation.exists(id=found):
        raise DomainError(Code.NOT_FOUND, "No such relation.", ["relationId"])
    relation_id = found
    async with unit_of_work(actor) as unit:
        changes = await write_values(
            unit, "RELATION", relation_id, values, creating=False, path=("values",)
        )
        if changes:
            current = await current_values("RELATION", [relation_id])
            data = {
                "entity": "relation",
                "id": relation_id,
                "changes": changes,
                "data": current[relation_id],
            }
            unit.event(EVENT, relation_id, data)
    return relation_id


async def relation_filter_subquery(key: str, value: Any) -> Subquery:
    """The ids of the relations whose RELATION field `key` equals `value`, as a subquery.

    One lookup on the (definition_id, key) index of custom_field_value_key. TEXT compares
    case-insensitively; NUMBER by value (12 = 12.0); a MULTI_CHOICE matches a single choice
    it contains, or a list equal to its set of choices. Deactivated fields still filter.
    """
    row = await CustomFieldDefinition.get_or_none(target="RELATION", key=key).values(
        *DEFINITION_COLUMNS
    )
    if row is None:
        message = f"No relation field has the key '{key}'."
        raise DomainError(Code.NOT_FOUND, message, ["filter", "customField", "key"])
    definition = Definition.from_row(row)
    try:
        index_key = filter_key(definition, value)
    except DomainError as error:
        raise error.at("filter", "customField", "value") from None
    return Subquery(
        CustomFieldValueKey.filter(definition_id=definition.id, key=index_key).values("relation_id")
    )


async def _owner(target: str, owner_id: str, path: tuple[str, ...]) -> Owner:
    """The owner, locked (PostgreSQL) so that concurrent writes of its values serialise."""
    if target not in TARGETS:
        raise ValueError(f"unknown custom field target {target!r}")
    what = "relation" if target == "RELATION" else "contact person"
    found = _uuid(owner_id)
    if found is None:
        raise DomainError(Code.NOT_FOUND, f"No such {what}.", path)
    if target == "RELATION":
        ids = await Relation.select_for_update().filter(id=found).values_list("id", flat=True)
        rows = [(rid, rid) for rid in ids]
    else:
        rows = (
            await ContactPerson.select_for_update()
            .filter(id=found)
            .values_list("id", "relation_id")
        )
    if not rows:
        raise DomainError(Code.NOT_FOUND, f"No such {what}.", path)
    return Owner(target, str(rows[0][0]), str(rows[0][1]))


def _uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


async def _definitions(target: str) -> dict[str, Definition]:
    rows = await CustomFieldDefinition.filter(target=target).values(*DEFINITION_COLUMNS)
    return {row["key"]: Definition.from_row(row) for row in rows}


async def _stored(owner: Owner) -> dict[str, StoredValue]:
    rows = await stored_values(**{owner.column: owner.id})
    return {row.definition_id: row for row in rows}


def _validated(
    definitions: dict[str, Definition],
    values: list[dict],
    path: tuple[str, ...],
    errors: ErrorCollector,
) -> tuple[dict[str, Any], dict[str, int]]:
    """{key: cleaned value} of the valid entries and {key: index} of every known key given."""
    wanted: dict[str, Any] = {}
    given_at: dict[str, int] = {}
    for index, item in enumerate(values):
        key = item.get("key")
        at = (*path, str(index))
        definition = definitions.get(key) if isinstance(key, str) else None
        if definition is None:
            errors.add(DomainError(Code.NOT_FOUND, f"No field has the key '{key}'.", (*at, "key")))
            continue
        key = definition.key
        if not definition.active:
            message = f"The field '{key}' is no longer in use."
            errors.add(DomainError(Code.INVALID, message, (*at, "key")))
            continue
        if key in given_at:
            errors.add(DomainError(Code.INVALID, f"'{key}' is given twice.", (*at, "key")))
            continue
        given_at[key] = index
        with errors.field(*at, "value"):
            wanted[key] = clean_value(definition, item.get("value"))
    return wanted, given_at


def _check_required(
    definitions: dict[str, Definition],
    stored: dict[str, StoredValue],
    wanted: dict[str, Any],
    given_at: dict[str, int],
    creating: bool,
    path: tuple[str, ...],
    errors: ErrorCollector,
) -> None:
    """Each active required field must hold a non-null value after the write."""
    for key, definition in sorted(definitions.items()):
        if not (definition.active and definition.required):
            continue
        message = f"'{key}' ({definition.label}) is required."
        if key in wanted:
            if wanted[key] is None:
                at = (*path, str(given_at[key]), "value")
                errors.add(DomainError(Code.REQUIRED, message, at))
        elif key not in given_at and (creating or definition.id not in stored):
            errors.add(DomainError(Code.REQUIRED, message, path))
