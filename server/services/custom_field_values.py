"""Rows of custom values: writing one value with its filter keys and history, and converting
every value of a definition when its type changes. Used by custom_fields.py and
custom_field_definitions.py, always inside a unit of work.

Storage detail: Tortoise's JSONField takes any Python str as ready JSON text (and decodes
it again on load), so a bare JSON string cannot be stored; the `value` column therefore
holds {"v": <value>}. Everything outside this module (history states, events, the card)
sees the value in its API form. Filter keys of a contact's value carry the contact's
relation as relation_id (filters only ever match RELATION definitions).
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Any

from server.errors import Code, DomainError, DomainErrors
from server.models import ContactPerson, CustomFieldValue, CustomFieldValueKey
from server.services.custom_field_types import Definition, convert, index_keys
from server.services.unit import Unit

EVENT = "custom_fields.updated"
COLUMNS = ("id", "definition_id", "relation_id", "contact_id", "value")


@dataclass(frozen=True)
class Owner:
    """The relation or contact person a value belongs to, and the relation its history joins."""

    target: str
    id: str
    relation_id: str

    @property
    def column(self) -> str:
        return "relation_id" if self.target == "RELATION" else "contact_id"

    @property
    def entity(self) -> str:
        return "relation" if self.target == "RELATION" else "contact"


@dataclass(frozen=True)
class StoredValue:
    """One custom_field_value row, its value in API form."""

    id: str
    definition_id: str
    relation_id: str | None
    contact_id: str | None
    value: Any

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredValue:
        def text(value: Any) -> str | None:
            return None if value is None else str(value)

        return cls(
            id=str(row["id"]),
            definition_id=str(row["definition_id"]),
            relation_id=text(row["relation_id"]),
            contact_id=text(row["contact_id"]),
            value=stored_value(row["value"]),
        )

    def state(self) -> dict[str, Any]:
        """The row's state for history (the columns of the table, value in API form)."""
        return {name: getattr(self, name) for name in COLUMNS}


def stored_value(column: Any) -> Any:
    """The API form of a `custom_field_value.value` column (or of a version state's value)."""
    if isinstance(column, dict) and "v" in column:
        return column["v"]
    return column


def _envelope(value: Any) -> dict[str, Any] | None:
    return None if value is None else {"v": value}


async def stored_values(**filters: Any) -> list[StoredValue]:
    rows = await CustomFieldValue.filter(**filters).values(*COLUMNS)
    return [StoredValue.from_row(row) for row in rows]


async def _write_keys(row: StoredValue, kind: str, relation_id: str) -> None:
    await CustomFieldValueKey.filter(value_id=row.id).delete()
    keys = index_keys(kind, row.value)
    if keys:
        await CustomFieldValueKey.bulk_create(
            [
                CustomFieldValueKey(
                    value_id=row.id, definition_id=row.definition_id, relation_id=relation_id, key=k
                )
                for k in keys
            ]
        )


async def save_value(
    unit: Unit, definition: Definition, owner: Owner, row: StoredValue | None, value: Any
) -> list | None:
    """Create, change or delete (value None) one stored value; [old, new], or None if equal."""
    old = row.value if row is not None else None
    if old == value:
        return None
    if row is None:
        row = StoredValue(str(uuid.uuid4()), definition.id, None, None, value)
        row = replace(row, **{owner.column: owner.id})
        await CustomFieldValue.create(
            id=row.id,
            definition_id=row.definition_id,
            relation_id=row.relation_id,
            contact_id=row.contact_id,
            value=_envelope(value),
        )
        await _write_keys(row, definition.type, owner.relation_id)
        unit.record("custom_value", row.id, None, row.state(), relation_id=owner.relation_id)
    elif value is None:
        await CustomFieldValueKey.filter(value_id=row.id).delete()
        await CustomFieldValue.filter(id=row.id).delete()
        unit.record("custom_value", row.id, row.state(), None, relation_id=owner.relation_id)
    else:
        await _change(unit, row, replace(row, value=value), definition.type, owner)
    return [old, value]


async def _change(
    unit: Unit, before: StoredValue, after: StoredValue, kind: str, owner: Owner
) -> None:
    await CustomFieldValue.filter(id=after.id).update(value=_envelope(after.value))
    await _write_keys(after, kind, owner.relation_id)
    unit.record(
        "custom_value", after.id, before.state(), after.state(), relation_id=owner.relation_id
    )


async def retype_values(unit: Unit, old: Definition, new: Definition) -> None:
    """Check (and on a type change, convert) every stored value for the changed definition.

    Refused with CONFLICT when a value does not fit; converted values get new versions,
    new filter keys and a custom_fields.updated event per owner.
    """
    rows = await stored_values(definition_id=old.id)
    if old.type == new.type:
        _refuse_removed_choices_in_use(old, new, rows)
        return
    converted: list[tuple[StoredValue, Any]] = []
    failed = 0
    for row in rows:
        try:
            converted.append((row, convert(row.value, old.type, new)))
        except DomainError:
            failed += 1
    if failed:
        message = (
            f"{failed} stored value(s) of '{old.key}' cannot become {new.type}; "
            "change or clear them first."
        )
        raise DomainError(Code.CONFLICT, message, ["input", "type"])
    await _rewrite(unit, new, converted)


def _refuse_removed_choices_in_use(
    old: Definition, new: Definition, rows: list[StoredValue]
) -> None:
    removed = set(old.choices) - set(new.choices)
    used: Counter[str] = Counter()
    for row in rows:
        chosen = row.value if isinstance(row.value, list) else [row.value]
        used.update(choice for choice in chosen if choice in removed)
    errors = [
        DomainError(
            Code.CONFLICT,
            f"The choice '{choice}' of '{old.key}' is still used by {used[choice]} value(s); "
            "change those first.",
            ["input", "choices"],
        )
        for choice in old.choices
        if used[choice]
    ]
    if errors:
        raise DomainErrors(errors)


async def _rewrite(unit: Unit, new: Definition, converted: list[tuple[StoredValue, Any]]) -> None:
    contact_relation = await contact_relations([r.contact_id for r, _ in converted if r.contact_id])
    events: dict[tuple[str, str, str], dict[str, list]] = defaultdict(dict)
    for row, value in converted:
        if row.contact_id is not None:
            owner = Owner("CONTACT_PERSON", row.contact_id, contact_relation[row.contact_id])
        else:
            owner = Owner("RELATION", str(row.relation_id), str(row.relation_id))
        if value != row.value or type(value) is not type(row.value):
            await _change(unit, row, replace(row, value=value), new.type, owner)
            events[(owner.relation_id, owner.entity, owner.id)][new.key] = [row.value, value]
        else:
            # The key form depends on the type (e.g. TEXT folds case): rebuild it anyway.
            await _write_keys(row, new.type, owner.relation_id)
    current = await current_values(new.target, [owner_id for _, _, owner_id in events])
    for (relation_id, entity, owner_id), changes in events.items():
        data = {"entity": entity, "id": owner_id, "changes": changes, "data": current[owner_id]}
        unit.event(EVENT, relation_id, data)


async def current_values(target: str, owner_ids: list[str]) -> dict[str, dict[str, Any]]:
    """owner id -> {key: value} of its values of active definitions (an event's `data`)."""
    column = "relation_id" if target == "RELATION" else "contact_id"
    rows = await CustomFieldValue.filter(
        **{f"{column}__in": owner_ids}, definition__active=True
    ).values("value", owner=column, key="definition__key")
    found: dict[str, dict[str, Any]] = {owner_id: {} for owner_id in owner_ids}
    for row in rows:
        found[str(row["owner"])][row["key"]] = stored_value(row["value"])
    return found


async def contact_relations(contact_ids: list[str]) -> dict[str, str]:
    """contact id -> the id of the relation it is a contact person of."""
    if not contact_ids:
        return {}
    rows = await ContactPerson.filter(id__in=contact_ids).values_list("id", "relation_id")
    return {str(cid): str(rid) for cid, rid in rows}
