"""Test-only writes of relation data through the one door, and waiting for deliveries.

Relations are written with `unit_of_work` directly (record + event, as the register's
services do), so these tests do not depend on the register's progress.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import time
import uuid
from collections.abc import Callable
from typing import Any

from server.auth import secretbox
from server.auth.permissions import Actor, Role
from server.models import Delivery, Relation
from server.services import linked_systems
from server.services.unit import row_state, unit_of_work

_numbers = itertools.count(1)
ADMIN = Actor(id=str(uuid.uuid4()), role=Role.ADMIN, name="Beheerder")


async def create_relation(actor: Actor, name: str, bsn: str | None = None) -> str:
    """A new organisation (or person with a BSN) and its relation.created event."""
    async with unit_of_work(actor) as unit:
        relation = await Relation.create(
            id=uuid.uuid4(),
            number=f"W{next(_numbers):06d}",
            party_type="PERSON" if bsn else "ORGANISATION",
            kinds_mask=1,
            display_name=name,
            sort_name=name.casefold(),
            legal_name=None if bsn else name,
            last_name=name if bsn else None,
            bsn_encrypted=secretbox.encrypt(bsn) if bsn else None,
            bsn_index=secretbox.blind_index("bsn", bsn) if bsn else None,
            bsn_last_digits=bsn[-3:] if bsn else None,
            created_at=unit.now,
            updated_at=unit.now,
        )
        state = row_state(relation)
        changes = unit.record("relation", relation.id, None, state, relation_id=relation.id)
        unit.event(
            "relation.created",
            relation.id,
            {"entity": "relation", "id": str(relation.id), "changes": changes, "data": state},
        )
    return str(relation.id)


async def rename_relation(
    actor: Actor | None, relation_id: str, name: str, fail: bool = False
) -> str:
    """relation.updated with the new display name; returns the event's id. `fail` raises
    after writing (rollback)."""
    async with unit_of_work(actor) as unit:
        relation = await Relation.get(id=relation_id)
        before = row_state(relation)
        relation.display_name = name
        relation.updated_at = unit.now
        await relation.save()
        after = row_state(relation)
        changes = unit.record("relation", relation.id, before, after, relation_id=relation.id)
        event = unit.event(
            "relation.updated",
            relation.id,
            {"entity": "relation", "id": str(relation.id), "changes": changes, "data": after},
        )
        if fail:
            raise RuntimeError("the write fails after its event was queued")
    return str(event.id)


async def register(actor: Actor, url: str | None, **extra: Any) -> tuple[str, str]:
    """A linked system delivering to `url`; returns (system id, its generated secret)."""
    result = await linked_systems.register_linked_system(
        actor,
        {
            "name": extra.pop("name", "Boekhouding"),
            "kind": extra.pop("kind", "BOOKKEEPING"),
            "baseUrl": extra.pop("baseUrl", "https://boekhouding.example"),
            "ssoAudience": extra.pop("ssoAudience", "boekhouding"),
            "webhookUrl": url,
            **extra,
        },
    )
    assert result.generated_secret is not None
    return str(result.row["id"]), result.generated_secret


async def eventually(check: Callable[[], Any], within: float = 10.0) -> None:
    """Wait until `check()` (or the awaitable it returns) holds; fail after `within` s."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def all_in_state(system_id: str, state: str, count: int) -> bool:
    return await delivery_states(system_id) == [state] * count


async def states_are(system_id: str, states: list[str]) -> bool:
    return await delivery_states(system_id) == states


async def delivery_states(system_id: str) -> list[str]:
    rows = await Delivery.filter(system_id=system_id).order_by("event_id").values("state")
    return [row["state"] for row in rows]
