"""Test-only writes through the one door (unit_of_work + unit.record), so versions exist.

Rows are written directly with the preamble's relation_id conventions; the register's own
services are not needed, which keeps these tests independent of their progress.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from tortoise.models import Model

from server import models as m
from server.auth.permissions import Actor
from server.services.unit import row_state, unit_of_work, utcnow

CARD_COPY = Path(__file__).parents[2] / "server" / "services" / "snapshot_card.graphql"
_numbers = itertools.count(1)

# entity -> (model, the state column for version.relation_id, for version.other_relation_id)
ENTITIES: dict[str, tuple[type[Model], str | None, str | None]] = {
    "relation": (m.Relation, "id", None),
    "address": (m.Address, "relation_id", None),
    "contact": (m.ContactPerson, "relation_id", "person_id"),
    "partnership": (m.Partnership, "person_a_id", "person_b_id"),
    "link": (m.RelationLink, "from_relation_id", "to_relation_id"),
    "shareholding": (m.Shareholding, "holder_id", "subsidiary_id"),
    "assignment": (m.StaffAssignment, "relation_id", None),
    "custom_value": (m.CustomFieldValue, "relation_id", None),
    "custom_field_definition": (m.CustomFieldDefinition, None, None),
}


def card_query(with_as_of: bool = True) -> str:
    """The contract's RelationCard operation, optionally asking `asOf` a moment."""
    text = CARD_COPY.read_text(encoding="utf-8")
    if not with_as_of:
        return text
    text = text.replace("$to: DateTime)", "$to: DateTime, $asOf: DateTime)")
    return text.replace("relation(id: $id)", "relation(id: $id, asOf: $asOf)")


def _sides(entity: str, state: dict[str, Any]) -> dict[str, Any]:
    _, first, second = ENTITIES[entity]
    return {
        "relation_id": state.get(first) if first else None,
        "other_relation_id": state.get(second) if second else None,
    }


async def create(
    actor: Actor | None, entity: str, record_as: dict[str, Any] | None = None, **fields: Any
) -> str:
    """Insert one row of `entity` and record its version; returns its id.

    `record_as` overrides the version's relation_id/other_relation_id.
    """
    model = ENTITIES[entity][0]
    fields.setdefault("id", uuid.uuid4())
    async with unit_of_work(actor) as unit:
        obj = await model.create(**fields)
        state = row_state(obj)
        unit.record(entity, obj.pk, None, state, **(record_as or _sides(entity, state)))
    return str(obj.pk)


async def update(actor: Actor | None, entity: str, row_id: str, **changes: Any) -> None:
    """Change one row of `entity` and record the version."""
    model = ENTITIES[entity][0]
    async with unit_of_work(actor) as unit:
        obj = await model.get(pk=row_id)
        before = row_state(obj)
        for name, value in changes.items():
            setattr(obj, name, value)
        await obj.save()
        # Read back: a JSON column holds the decoded value only after a fresh read.
        obj = await model.get(pk=row_id)
        after = row_state(obj)
        unit.record(entity, obj.pk, before, after, **_sides(entity, after))


async def delete(actor: Actor | None, entity: str, row_id: str) -> None:
    """Delete one row of `entity` and record the version (state None)."""
    model = ENTITIES[entity][0]
    async with unit_of_work(actor) as unit:
        obj = await model.get(pk=row_id)
        before = row_state(obj)
        await obj.delete()
        unit.record(entity, obj.pk, before, None, **_sides(entity, before))


async def make_relation(actor: Actor | None, name: str, **fields: Any) -> str:
    """An ORGANISATION relation (PERSON when `last_name` is given) with a version."""
    now = utcnow()
    person = "last_name" in fields
    base: dict[str, Any] = {
        "number": f"H{next(_numbers):06d}",
        "party_type": "PERSON" if person else "ORGANISATION",
        "display_name": name,
        "sort_name": name.lower(),
        "tax_regime": "INCOME_TAX" if person else "CORPORATE_TAX",
        "created_at": now,
        "updated_at": now,
    }
    if not person:
        base.update(legal_name=name, legal_form="BV", kvk_number=f"{60_000_000 + next(_numbers)}")
    return await create(actor, "relation", **{**base, **fields})


async def add_address(actor: Actor | None, relation_id: str, street: str, **fields: Any) -> str:
    base = {
        "type": "VISITING",
        "street": street,
        "house_number": "12",
        "postal_code": "1234AB",
        "city": "Utrecht",
        "country_code": "NL",
    }
    return await create(actor, "address", relation_id=relation_id, **{**base, **fields})


async def add_contact(actor: Actor | None, relation_id: str, last_name: str, **fields: Any) -> str:
    base = {"created_at": utcnow(), "is_primary": False}
    return await create(
        actor, "contact", relation_id=relation_id, last_name=last_name, **{**base, **fields}
    )


async def moment_between() -> datetime:
    """A moment strictly after every write so far and before any later one."""
    await asyncio.sleep(0.005)
    moment = utcnow()
    await asyncio.sleep(0.005)
    return moment
