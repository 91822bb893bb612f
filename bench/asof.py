"""The card as it was vs the live card: `python -m bench.asof [--db URL] [--versions 1000]`.

Builds one relation card (addresses, contacts, a bank link, a shareholder, staff, custom
values) whose history holds `--versions` versions, amid `--noise` versions of other
relations, every write through the one door (unit_of_work + unit.record). Then times the
RelationCard operation in-process, live and `asOf` (now, and halfway through the history),
`--repeat` times each after a warm-up, and prints the medians and the ratio to live.
Without --db it uses a fresh SQLite file in a temporary directory; with --postgres it
creates (and drops) a scratch database on that server.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from tortoise.connection import get_connection

from server import db
from server.auth.permissions import Actor, Role
from server.context import Context
from server.models import (
    Address,
    ContactPerson,
    CustomFieldDefinition,
    CustomFieldValue,
    Relation,
    RelationLink,
    Shareholding,
    StaffAssignment,
)
from server.services import staff
from server.services.unit import row_state, unit_of_work, utcnow

CARD = Path(__file__).parents[1] / "server" / "services" / "snapshot_card.graphql"
SIDES = {  # entity -> state columns recorded as version.relation_id / other_relation_id
    "relation": ("id", None), "address": ("relation_id", None),
    "contact": ("relation_id", "person_id"), "link": ("from_relation_id", "to_relation_id"),
    "shareholding": ("holder_id", "subsidiary_id"), "assignment": ("relation_id", None),
    "custom_value": ("relation_id", None), "custom_field_definition": (None, None),
}  # fmt: skip
MODELS: dict[str, Any] = {
    "relation": Relation, "address": Address, "contact": ContactPerson, "link": RelationLink,
    "shareholding": Shareholding, "assignment": StaffAssignment,
    "custom_value": CustomFieldValue, "custom_field_definition": CustomFieldDefinition,
}  # fmt: skip


class Writer:
    """Writes rows through the one door and counts the versions of the measured card."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.versions = 0

    def _record(self, unit: Any, entity: str, row_id: Any, before: Any, after: Any) -> None:
        first, second = SIDES[entity]
        state = after or before
        unit.record(
            entity, row_id, before, after,
            relation_id=state.get(first) if first else None,
            other_relation_id=state.get(second) if second else None,
        )  # fmt: skip
        self.versions += 1

    async def create(self, entity: str, **fields: Any) -> str:
        async with unit_of_work(self.actor) as unit:
            obj = await MODELS[entity].create(id=uuid.uuid4(), **fields)
            self._record(unit, entity, obj.pk, None, row_state(obj))
        return str(obj.pk)

    async def update(self, entity: str, row_id: str, **changes: Any) -> None:
        async with unit_of_work(self.actor) as unit:
            obj = await MODELS[entity].get(pk=row_id)
            before = row_state(obj)
            await MODELS[entity].filter(pk=row_id).update(**changes)
            obj = await MODELS[entity].get(pk=row_id)
            self._record(unit, entity, obj.pk, before, row_state(obj))

    async def delete(self, entity: str, row_id: str) -> None:
        async with unit_of_work(self.actor) as unit:
            obj = await MODELS[entity].get(pk=row_id)
            before = row_state(obj)
            await obj.delete()
            self._record(unit, entity, obj.pk, before, None)


def _relation(name: str, n: int) -> dict[str, Any]:
    now = utcnow()
    return {
        "number": f"B{n:07d}", "party_type": "ORGANISATION", "display_name": name,
        "sort_name": name.lower(), "legal_name": name, "legal_form": "BV",
        "tax_regime": "CORPORATE_TAX", "created_at": now, "updated_at": now,
    }  # fmt: skip


async def build_card(w: Writer) -> dict[str, Any]:
    """The measured card: 3 addresses, 5 contacts, a bank, a holder, staff, custom values."""
    bank = await w.create("relation", **_relation("Rabobank", 1))
    holder = await w.create("relation", **_relation("Holding De Korenbloem B.V.", 2))
    w.versions = 0
    card = await w.create("relation", **_relation("Bakkerij De Korenbloem B.V.", 3))
    streets = [await w.create("address", relation_id=card, type="VISITING", street=f"Straat {i}",
                              house_number=str(i), postal_code="3511AB", city="Utrecht",
                              position=i) for i in range(3)]  # fmt: skip
    contacts = [
        await w.create("contact", relation_id=card, last_name=f"Contact {i}", created_at=utcnow(),
                       is_primary=i == 0)
        for i in range(5)
    ]  # fmt: skip
    await w.create("link", from_relation_id=card, to_relation_id=bank, type="BANK")
    await w.create("shareholding", holder_id=holder, subsidiary_id=card, percentage=Decimal(100))
    await w.create("assignment", relation_id=card, employee_id=w.actor.id, role="ACCOUNTANT")
    definition = await w.create("custom_field_definition", key="ovens", label="Ovens",
                                target="RELATION", type="NUMBER", created_at=utcnow())  # fmt: skip
    value = await w.create("custom_value", definition_id=definition, relation_id=card, value=1)
    return {"id": card, "addresses": streets, "contacts": contacts, "value": value}


async def grow_history(w: Writer, card: dict[str, Any], versions: int) -> Any:
    """Update the card until its history holds `versions` versions; returns the midpoint."""
    midpoint, step = None, 0
    while w.versions < versions:
        kind = step % 4
        if kind == 0:
            contact = card["contacts"][step % 5]
            await w.update("contact", contact, job_title=f"Functie {step}")
        elif kind == 1:
            await w.update("address", card["addresses"][step % 3], house_number=str(step))
        elif kind == 2:
            await w.update("relation", card["id"], email=f"info{step}@korenbloem.nl")
        else:
            await w.update("custom_value", card["value"], value=step)
        step += 1
        if midpoint is None and w.versions >= versions // 2:
            midpoint = utcnow()
    return midpoint


async def noise(w: Writer, relations: int, per_relation: int) -> None:
    """Other relations' history in the same table, so the indexes have to narrow."""
    for n in range(relations):
        rid = await w.create("relation", **_relation(f"Andere relatie {n}", 100 + n))
        for i in range(per_relation - 1):
            await w.update("relation", rid, email=f"r{n}-{i}@example.nl")


def card_operation(as_of: Any) -> tuple[str, dict[str, Any]]:
    """The RelationCard operation with `asOf` injected, and its variables."""
    query = CARD.read_text(encoding="utf-8")
    query = query.replace("$to: DateTime)", "$to: DateTime, $asOf: DateTime)")
    query = query.replace("relation(id: $id)", "relation(id: $id, asOf: $asOf)")
    variables = {"asOf": as_of.isoformat() if as_of else None,
                 "from": "2020-01-01T00:00:00Z", "to": "2040-01-01T00:00:00Z"}  # fmt: skip
    return query, variables


async def _once(schema: Any, actor: Actor, query: str, document: Any, variables: dict) -> tuple:
    from graphql import ExecutionResult, execute

    began = time.perf_counter()
    result = await schema.execute(
        query, variable_values=variables, context_value=Context(request=None, actor=actor)
    )
    middle = time.perf_counter()
    direct = execute(schema._schema, document, variable_values=variables,
                     context_value=Context(request=None, actor=actor))  # fmt: skip
    direct = cast(ExecutionResult, await direct if asyncio.iscoroutine(direct) else direct)
    ended = time.perf_counter()
    if result.errors or direct.errors:
        raise SystemExit(f"card failed: {result.errors or direct.errors}")
    return middle - began, ended - middle


async def time_cards(
    actor: Actor, relation_id: str, moments: dict[str, Any], repeat: int
) -> dict[str, dict[str, float]]:
    """Median seconds of the RelationCard operation per moment (None = live): the whole
    request path (parse, validate, execute) and the resolvers alone (document parsed and
    validated once). The moments take turns, so load on the machine hits all alike."""
    from graphql import parse

    from server.schema import get_schema

    schema = get_schema()
    operations = {}
    for label, as_of in moments.items():
        query, variables = card_operation(as_of)
        operations[label] = (query, parse(query), {**variables, "id": relation_id})
    timings: dict[str, tuple[list[float], list[float]]] = {m: ([], []) for m in moments}
    for n in range(repeat + 3):
        for label, (query, document, variables) in operations.items():
            full, resolve = await _once(schema, actor, query, document, variables)
            if n >= 3:  # warm-up runs fill the parser cache and the connection pool
                timings[label][0].append(full)
                timings[label][1].append(resolve)
    return {
        label: {"full": statistics.median(full), "resolve": statistics.median(resolve)}
        for label, (full, resolve) in timings.items()
    }


# Not in the schema: --index tries whether this pair would pay for itself on long histories.
TRIAL_INDEXES = (
    "CREATE INDEX IF NOT EXISTS trial_version_rel ON version (relation_id, entity, entity_id, at)",
    "CREATE INDEX IF NOT EXISTS trial_version_other"
    " ON version (other_relation_id, entity, entity_id, at)",
)


async def run(
    url: str, versions: int, noise_relations: int, repeat: int, index: bool = False
) -> dict[str, Any]:
    await db.migrate(url)
    await db.init(url)
    try:
        if index:
            for statement in TRIAL_INDEXES:
                await get_connection("default").execute_script(statement)
        employee = await staff.create_employee(None, {
            "name": "Bench", "email": f"bench-{uuid.uuid4().hex[:6]}@kantoor.example",
            "role": "MANAGER", "password": "Bench-Wachtwoord-2026"})  # fmt: skip
        actor = Actor(id=str(employee.id), role=Role.MANAGER, name="Bench")
        w = Writer(actor)
        await noise(w, noise_relations, 20)
        card = await build_card(w)
        midpoint = await grow_history(w, card, versions)
        moments = {"live": None, "as_of_now": utcnow(), "as_of_mid": midpoint}
        return {"versions": w.versions, **await time_cards(actor, card["id"], moments, repeat)}
    finally:
        await db.close()


async def _scratch_postgres(server: str, work: Any) -> Any:
    import asyncpg

    name = f"rb_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(f"{server}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return await work(f"{server}/{name}")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="sqlite:///path (fresh file) or postgres://.../empty_db")
    parser.add_argument("--postgres", help="server URL, e.g. postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--noise", type=int, default=200, help="other relations, 20 versions each")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--index", action="store_true", help="add the trial indexes first")
    args = parser.parse_args(argv)

    async def work(url: str) -> dict[str, Any]:
        return await run(url, args.versions, args.noise, args.repeat, args.index)

    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            result = asyncio.run(_scratch_postgres(args.postgres, work))
        else:
            result = asyncio.run(work(args.db or f"sqlite:///{tmp}/bench.sqlite3"))
    live = result["live"]
    print(f"card versions: {result['versions']}, repeat {args.repeat} (median)")
    print(f"{'':10} {'request':>10} {'ratio':>7} {'resolvers':>10} {'ratio':>7}")
    for label in ("live", "as_of_now", "as_of_mid"):
        full, resolve = result[label]["full"], result[label]["resolve"]
        print(
            f"{label:10} {full * 1000:7.2f} ms {full / live['full']:6.2f}x"
            f" {resolve * 1000:7.2f} ms {resolve / live['resolve']:6.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
