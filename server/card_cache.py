"""The card cache: a whole `relation(id:)` answer kept per relation, never served stale.

The cockpit opens the same cards again and again; building a large card means thousands of
fields through graphql-core. A query whose only root field is `relation(id: ...)` (no
`asOf`) is answered from this cache when the same employee (and role) asked the same query
with the same variables on the same office day, and no write since then touched anything
the card shows:

- With each card the cache keeps the card stamps (server/services/card_stamps.py) of every
  relation the card shows, read *before* the card was built. Every write renews the stamps
  of the relations it touches in its own transaction, so a hit costs one indexed SELECT of
  those stamps and is served only if all are unchanged. Stamps live in the database: every
  process and every server on one database sees every write.
- "Every relation the card shows" is the card's neighbourhood (partner, links, the group,
  contacts' relations ...: `card_stamps.dependencies`) together with every relation and
  contact node the query actually built (`card_stamps.collecting`). A build that met a
  relation outside the set read beforehand is not kept; the next build reads it too.
- Queries the cache cannot vouch for run as usual: fields that write an audit trail when
  read (a revealed BSN), and anything below office-wide objects (an employee's calendar,
  their assignments) that is listed by something other than a relation.

Bounded by total size (RELATIEBEHEER_CARD_CACHE_MB, 0 turns it off); least recently used
cards go first. Nothing is shared between processes but the stamps.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    is_leaf_type,
    parse,
    visit,
)
from graphql.language import VariableNode

from server.context import Context
from server.services import card_stamps
from server.services.graph import office_date

# Types listed by something other than a relation: below them only their own leaf fields.
OFFICE_TYPES = frozenset({"Employee", "LinkedSystem", "CustomFieldDefinition"})
# Fields whose reading is audited: every read must run.
# Cards whose build met relations beyond their neighbourhood, remembered for the next build.
MAX_EXTRA = 10_000
AUDITED = frozenset({("PersonDetails", "bsn"), ("Snapshot", "bsn"), ("Snapshot", "partnerBsn")})


@dataclass(frozen=True)
class Plan:
    """A cacheable request: its key and the relation it shows."""

    key: tuple[Any, ...]
    relation_id: str


@dataclass
class Entry:
    body: bytes
    stamps: dict[str, int]


class RawJSON(dict[str, Any]):
    """A response already encoded (a dict subclass, so the view's types hold)."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body


def encode(data: Any) -> bytes:
    """JSON as the view would write it, several times faster for large cards."""
    try:
        return orjson.dumps(data)
    except TypeError:  # e.g. an integer beyond 64 bits: the standard encoder copes
        return json.dumps(data, separators=(",", ":")).encode()


class CardCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        # Relations found on a card beyond its neighbourhood, kept for its next build.
        self._extra: dict[tuple[Any, ...], frozenset[str]] = {}
        self._size = 0
        # One build per card at a time: concurrent misses wait for it (no thundering herd).
        self._building: dict[tuple[Any, ...], asyncio.Lock] = {}
        self.hits = 0  # answers served from the cache (tests and benchmarks read it)

    # ------------------------------------------------------------------ what may be cached
    def plan(self, schema: GraphQLSchema, request: Any, context: Context) -> Plan | None:
        if self.max_bytes <= 0 or context.actor is None or not isinstance(request.query, str):
            return None
        shape = _shape(schema, request.query, request.operation_name)
        if shape is None:
            return None
        argument, digest = shape
        variables = request.variables or {}
        raw_id = variables.get(argument[1]) if argument[0] == "var" else argument[1]
        try:
            relation_id = str(uuid.UUID(str(raw_id)))
        except ValueError:
            return None
        try:
            canonical = json.dumps(variables, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError):
            return None
        actor = context.actor
        key = (digest, request.operation_name, canonical, actor.id, actor.role, office_date())
        return Plan(key, relation_id)

    # ------------------------------------------------------------------ lookup and store
    async def lookup(self, plan: Plan) -> bytes | None:
        entry = self._entries.get(plan.key)
        if entry is None:
            return None
        self._entries.move_to_end(plan.key)
        if card_stamps.unchanged(entry.stamps, await card_stamps.read(entry.stamps)):
            self.hits += 1
            return entry.body
        self._drop(plan.key)
        return None

    @asynccontextmanager
    async def building(self, plan: Plan) -> AsyncIterator[None]:
        """Held while one request builds this card; the others wait, then look again."""
        lock = self._building.setdefault(plan.key, asyncio.Lock())
        try:
            async with lock:
                yield
        finally:
            if not lock.locked() and self._building.get(plan.key) is lock:
                del self._building[plan.key]

    async def dependencies(self, plan: Plan) -> frozenset[str]:
        found = await card_stamps.dependencies(plan.relation_id)
        return found | self._extra.get(plan.key, frozenset())

    def store(self, plan: Plan, body: bytes, stamps: dict[str, int], seen: set[str]) -> None:
        """Keep a card built after `stamps` were read, if they cover everything it showed."""
        missing = {rid for rid in seen if rid not in stamps}
        if missing:
            if len(self._extra) >= MAX_EXTRA:  # a bound, not a policy: they are hints
                self._extra.clear()
            self._extra[plan.key] = frozenset(stamps) | frozenset(missing)
            return
        if len(body) > self.max_bytes // 4:
            return
        self._drop(plan.key)
        self._entries[plan.key] = Entry(body, stamps)
        self._size += len(body)
        while self._size > self.max_bytes and self._entries:
            _, evicted = self._entries.popitem(last=False)
            self._size -= len(evicted.body)

    def _drop(self, key: tuple[Any, ...]) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._size -= len(old.body)

    def clear(self) -> None:
        self._entries.clear()
        self._extra.clear()
        self._size = 0


@lru_cache(maxsize=256)
def _shape(
    schema: GraphQLSchema, query: str, operation_name: str | None
) -> tuple[tuple[str, Any], str] | None:
    """(how the relation id is given, the query's digest) if the query may be cached."""
    try:
        document = parse(query, no_location=True, max_tokens=20000)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        return None
    roots = operations[0].selection_set.selections
    if len(roots) != 1 or not isinstance(roots[0], FieldNode) or roots[0].directives:
        return None
    root = roots[0]
    arguments = {a.name.value: a.value for a in root.arguments or ()}
    if root.name.value != "relation" or set(arguments) != {"id"}:
        return None
    value = arguments["id"]
    if isinstance(value, VariableNode):
        argument: tuple[str, Any] = ("var", value.name.value)
    elif isinstance(value, StringValueNode):
        argument = ("literal", value.value)
    else:
        return None
    if not _vouchable(schema, document):
        return None
    return argument, hashlib.sha256(query.encode()).hexdigest()


def _vouchable(schema: GraphQLSchema, document: DocumentNode) -> bool:
    """No audited field, and only leaf fields below office-wide objects."""
    type_info = TypeInfo(schema)
    refused: list[str] = []

    class Check(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent = type_info.get_parent_type()
            field = type_info.get_field_def()
            if parent is None or field is None:
                refused.append(node.name.value)  # invalid: validation will answer it
                return
            audited = (parent.name, node.name.value) in AUDITED
            below_office = parent.name in OFFICE_TYPES
            if audited or (below_office and not is_leaf_type(get_named_type(field.type))):
                refused.append(node.name.value)

    visit(document, TypeInfoVisitor(type_info, Check()))
    return not refused


_cache: CardCache | None = None


def get_cache() -> CardCache:
    global _cache
    if _cache is None:
        from server.settings import get_settings

        _cache = CardCache(get_settings().card_cache_mb * 1024 * 1024)
    return _cache


def reset_cache() -> None:
    global _cache
    _cache = None
