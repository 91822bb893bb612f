"""Rows as they were at a moment, rebuilt from the version history (for asOf).

Every write stores the full row state after it in `version.state` (None after a delete),
so the row of an entity at a moment is the state of its latest version at or before it.
Each function below is ONE SQL statement; the rows come back typed like the `.values()`
rows of the live table (UUIDs, dates, datetimes and decimals parsed), so the same row ->
type builders serve the live card and the card as it was.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise import fields as tf
from tortoise.connection import get_connection
from tortoise.models import Model

from server import models as m
from server.services.unit import SECRET_FIELDS

ENTITY_MODELS: dict[str, type[Model]] = {
    "relation": m.Relation,
    "address": m.Address,
    "contact": m.ContactPerson,
    "partnership": m.Partnership,
    "link": m.RelationLink,
    "shareholding": m.Shareholding,
    "assignment": m.StaffAssignment,
    "custom_value": m.CustomFieldValue,
    "custom_field_definition": m.CustomFieldDefinition,
    "appointment": m.Appointment,
    "appointment_employee": m.AppointmentEmployee,
    "appointment_contact": m.AppointmentContact,
    "employee": m.Employee,
    "linked_system": m.LinkedSystem,
    "linked_account": m.LinkedAccount,
    "calendar_connection": m.CalendarConnection,
}

# Keys that reference a relation: the versions' indexed relation_id/other_relation_id
# columns narrow the search. Both columns are searched so that a key is found whichever
# side a service recorded it on; the state itself is checked afterwards.
RELATION_KEYS = frozenset(
    {
        "relation_id",
        "person_id",
        "from_relation_id",
        "to_relation_id",
        "holder_id",
        "subsidiary_id",
        "person_a_id",
        "person_b_id",
    }
)
# Keys naming a row that belongs to a relation: a child's versions carry that relation in
# version.relation_id (a contact's custom value: the contact's relation), so the parent's
# versions lead to it through the index instead of a scan of every state.
PARENT_KEYS = {("custom_value", "contact_id"): "contact"}
_TYPED = (tf.UUIDField, tf.DateField, tf.DatetimeField, tf.DecimalField, tf.TimeField)
_KEY_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class Params:
    """Placeholders in the dialect of the connection (`?` SQLite, `$n` PostgreSQL)."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.values: list[Any] = []

    def add(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}" if self.postgres else "?"

    def many(self, values: Iterable[Any]) -> str:
        return ", ".join(self.add(v) for v in values)

    def uuids(self, values: Iterable[str]) -> str:
        # PostgreSQL compares uuid columns with uuid values; SQLite stores the text form.
        return self.many(uuid.UUID(v) if self.postgres else v for v in values)


def connection() -> Any:
    return get_connection("default")


def params() -> Params:
    return Params(connection().capabilities.dialect == "postgres")


def utc(moment: datetime) -> datetime:
    """A moment as an aware UTC datetime (naive means UTC), comparable with `version.at`."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def uuid_texts(values: Iterable[Any]) -> list[str]:
    """Distinct canonical UUID strings of `values`; anything that is no UUID is left out."""
    found: dict[str, None] = {}
    for value in values:
        try:
            found[str(uuid.UUID(str(value)))] = None
        except ValueError:
            continue
    return list(found)


def loads(value: Any) -> Any:
    """A JSON column's value as Python data (asyncpg and sqlite hand back text)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _latest_sql(p: Params, entity: str, moment: datetime, keys: Callable[[], str]) -> str:
    """The latest version up to `moment` of each id that `keys()` (a one-column row source
    named entity_id) yields: one index probe per id, and states read for the winners only."""
    # Placeholders are added in textual order (SQLite's `?` are positional): the probe's
    # before the row source's.
    probe = (
        "SELECT x.id FROM version AS x"  # noqa: S608 (placeholders only)
        f" WHERE x.entity = {p.add(entity)} AND x.entity_id = k.entity_id"
        f" AND x.at <= {p.add(moment)} ORDER BY x.at DESC, x.id DESC LIMIT 1"
    )
    return (
        "SELECT entity_id, op, state FROM version WHERE id IN ("  # noqa: S608
        f"SELECT ({probe}) FROM ({keys()}) AS k)"
    )


async def _latest_states(sql: str, p: Params) -> list[dict[str, Any]]:
    rows = await connection().execute_query_dict(sql, p.values)
    return [loads(r["state"]) for r in rows if r["op"] != "delete" and r["state"] is not None]


async def states(entity: str, entity_ids: Sequence[Any], as_of: datetime) -> list[dict[str, Any]]:
    """The state of each entity at `as_of` (absent if it did not exist then or was deleted)."""
    ids = list(dict.fromkeys(str(i) for i in entity_ids if i is not None))
    if not ids:
        return []
    p = params()

    def keys() -> str:
        # Both engines name the columns of a VALUES list column1, column2, ...
        rows = ", ".join(f"({p.add(i)})" for i in ids)
        return f"SELECT column1 AS entity_id FROM (VALUES {rows}) AS ids"  # noqa: S608

    found = await _latest_states(_latest_sql(p, entity, utc(as_of), keys), p)
    return _typed_rows(entity, found)


async def states_by(
    entity: str, key: str, values: Sequence[Any], as_of: datetime
) -> list[dict[str, Any]]:
    """The states at `as_of` of every entity whose `key` column was in `values` then.

    Candidates are the entities with a version matching `values` up to `as_of`, found
    through the indexed relation columns for relation keys (and, for PARENT_KEYS, the
    parent's relation), else through the state's JSON; for each the latest version up to
    `as_of` decides, so an entity that moved away from `values` is not returned.
    """
    if not _KEY_NAME.match(key):
        raise ValueError(f"not a column name: {key!r}")
    relation_key = key in RELATION_KEYS
    wanted = (
        uuid_texts(values)
        if relation_key
        else list(dict.fromkeys(str(v) for v in values if v is not None))
    )
    if not wanted:
        return []
    p = params()
    moment = utc(as_of)

    def keys() -> str:
        head = f"SELECT DISTINCT entity_id FROM version WHERE entity = {p.add(entity)} AND "  # noqa: S608
        parent = PARENT_KEYS.get((entity, key))
        if relation_key:
            first, second = p.uuids(wanted), p.uuids(wanted)
            match = f"(relation_id IN ({first}) OR other_relation_id IN ({second}))"
        elif parent:
            match = (
                "relation_id IN (SELECT relation_id FROM version"  # noqa: S608
                f" WHERE entity = {p.add(parent)} AND entity_id IN ({p.many(wanted)}))"
            )
        else:
            match = f"{_json_text(key, p.postgres)} IN ({p.many(wanted)})"
        return f"{head}{match} AND at <= {p.add(moment)}"

    found = await _latest_states(_latest_sql(p, entity, moment, keys), p)
    keep = set(wanted)
    matching = [s for s in found if s.get(key) is not None and str(s[key]) in keep]
    return _typed_rows(entity, matching)


def _json_text(key: str, postgres: bool) -> str:
    if postgres:
        return f"(state ->> '{key}')"
    return f"CAST(json_extract(state, '$.{key}') AS TEXT)"


def _id_order(value: Any) -> tuple[int, Any]:
    # Integer ids in number order, UUIDs in text order (= PostgreSQL's uuid order).
    return (0, value) if isinstance(value, int) else (1, str(value))


def _typed_rows(entity: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in a stable order: by position where the entity has one, then by id."""
    model = ENTITY_MODELS.get(entity)
    rows = [typed_row(model, state) for state in found] if model else found
    if model is not None and "position" in model._meta.fields_db_projection:
        return sorted(rows, key=lambda r: (r.get("position") or 0, _id_order(r.get("id"))))
    return sorted(rows, key=lambda r: _id_order(r.get("id")))


def typed_row(model: type[Model], state: dict[str, Any]) -> dict[str, Any]:
    """A version state as the `.values()` row of `model`: every column, parsed types."""
    row: dict[str, Any] = {}
    for name in model._meta.fields_db_projection:
        if name in SECRET_FIELDS:
            continue
        value = state.get(name)
        field = model._meta.fields_map[name]
        if value is not None and isinstance(value, str) and isinstance(field, _TYPED):
            value = field.to_python_value(value)
        row[name] = value
    return row
