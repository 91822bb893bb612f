"""The one door for writes: rows, their history and their outbox events in ONE transaction.

Every service writes inside `async with unit_of_work(actor) as unit:` and reports each
changed row with `unit.record(...)` and each relation-level change with `unit.event(...)`.
On leaving the block the versions and change events (with one delivery per linked system)
are written in the same transaction; only after COMMIT do the after-commit hooks run
(waking the webhook dispatcher). A rolled-back write therefore leaves no trace anywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tortoise.models import Model
from tortoise.transactions import in_transaction

from server.auth.permissions import Actor
from server.models import ChangeEvent, Version

# Never copied into history diffs or change events in any form.
SECRET_FIELDS = frozenset(
    {"password_hash", "ics_token_hash", "webhook_secret_encrypted", "password_encrypted"}
)
# Kept (encrypted) in the version state for asOf, but shown masked in diffs and events.
MASKED_FIELDS = frozenset({"bsn_encrypted", "bsn_index"})
MASK = "[hidden]"
# Columns that name a relation: a write to a row touches the relations they name.
RELATION_REFERENCES = frozenset(
    {"relation_id", "from_relation_id", "to_relation_id", "person_a_id", "person_b_id",
     "holder_id", "subsidiary_id", "person_id"}
)  # fmt: skip

_after_commit_hooks: list[Callable[[Unit], None]] = []


def on_commit(hook: Callable[[Unit], None]) -> None:
    """Register a function run after every committed unit (e.g. wake the dispatcher)."""
    if hook not in _after_commit_hooks:
        _after_commit_hooks.append(hook)


def utcnow() -> datetime:
    return datetime.now(UTC)


def jsonable(value: Any) -> Any:
    """A JSON-safe form of a column value (UUID, dates and decimals as strings)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


def row_state(obj: Model) -> dict[str, Any]:
    """Every data column of a model instance (FKs as <name>_id), JSON-safe, secrets left out."""
    return {
        name: jsonable(getattr(obj, name))
        for name in obj._meta.fields_db_projection
        if name not in SECRET_FIELDS
    }


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, list]:
    """field -> [old, new] for every field whose value differs, secrets masked."""
    old = before or {}
    new = after or {}
    changes: dict[str, list] = {}
    for name in sorted(set(old) | set(new)):
        if name in SECRET_FIELDS:
            continue
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        if name in MASKED_FIELDS:
            changes[name] = [MASK if a else None, MASK if b else None]
        else:
            changes[name] = [a, b]
    return changes


class Unit:
    """What one write changed: versions and change events, flushed before COMMIT."""

    def __init__(self, actor: Actor | None, now: datetime) -> None:
        self.actor = actor
        self.now = now
        self.versions: list[Version] = []
        self.events: list[ChangeEvent] = []
        self.touched_relations: set[str] = set()

    @property
    def actor_id(self) -> str | None:
        return self.actor.id if self.actor and self.actor.id else None

    def record(
        self,
        entity: str,
        entity_id: Any,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        *,
        relation_id: Any = None,
        other_relation_id: Any = None,
    ) -> dict[str, list]:
        """Record one row's change (before/after are `row_state`s; None = absent)."""
        changes = diff(before, after)
        if before is not None and after is not None and not changes:
            return changes
        op = "create" if before is None else "delete" if after is None else "update"
        self.versions.append(
            Version(
                at=self.now,
                actor_id=self.actor_id,
                entity=entity,
                entity_id=str(entity_id),
                relation_id=relation_id,
                other_relation_id=other_relation_id,
                op=op,
                changes=changes,
                state=dict(after) if after is not None else None,
            )
        )
        for rid in (relation_id, other_relation_id):
            if rid is not None:
                self.touched_relations.add(str(rid))
        # A row that moves between relations (an appointment given to another client, a
        # contact that becomes another relation's) changes the cards on both sides.
        for state in (before, after):
            for column in RELATION_REFERENCES.intersection(state or ()):
                if state and state[column] is not None:
                    self.touched_relations.add(str(state[column]))
        return changes

    def event(self, type: str, relation_id: Any, data: Mapping[str, Any]) -> ChangeEvent:
        """Queue an outbox event for the linked systems and the change feed."""
        event = ChangeEvent(
            id=uuid.uuid4(),
            type=type,
            relation_id=relation_id,
            actor_id=self.actor_id,
            occurred_at=self.now,
            payload=jsonable(dict(data)),
        )
        self.events.append(event)
        if relation_id is not None:
            self.touched_relations.add(str(relation_id))
        return event

    @property
    def touches_office(self) -> bool:
        """Whether a row with no relation (office-wide data) was written."""
        return any(v.relation_id is None and v.other_relation_id is None for v in self.versions)

    async def flush(self) -> None:
        if self.versions:
            await Version.bulk_create(self.versions)
        if self.touched_relations or self.touches_office:
            from server.services.card_stamps import renew

            # In this transaction: a card cached before this write can never be served after it.
            await renew(self.touched_relations, office=self.touches_office)
        if self.events:
            from server.services.outbox import lock_feed

            # Sequence order must equal commit order (see lock_feed).
            await lock_feed()
        for event in self.events:
            await event.save()
        if self.events:
            from server.services.outbox import fan_out

            await fan_out(self.events, self.now)


@asynccontextmanager
async def unit_of_work(actor: Actor | None) -> AsyncIterator[Unit]:
    """One transaction for one write, with its history and outbox. See the module docstring."""
    async with in_transaction():
        unit = Unit(actor, utcnow())
        yield unit
        await unit.flush()
    for hook in list(_after_commit_hooks):
        hook(unit)


def changed_fields(changes: Iterable[str]) -> list[str]:
    return sorted(changes)
