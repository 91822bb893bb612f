"""The relation graph's shared parts: lookups and locks, what "current" means, dialect-neutral
SQL, and the group of a relation in ONE statement (a recursive CTE on SQLite and PostgreSQL).

The writes themselves live in partners.py, links.py, shareholdings.py and assignments.py.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from server.errors import Code, DomainError
from server.models import Relation, Shareholding
from server.services.unit import Unit, utcnow

OFFICE_TZ = ZoneInfo("Europe/Amsterdam")
# Guards the group walk against a cycle that slipped in anyway (validation refuses them);
# far deeper than any real group.
MAX_GROUP_DEPTH = 64
# Spelled out: a model's FK columns (holder_id ...) only appear in its meta after init.
SHAREHOLDING_COLUMNS = (
    "id",
    "holder_id",
    "subsidiary_id",
    "percentage",
    "since",
    "until",
    "fiscal_unity_corporate_tax",
    "fiscal_unity_vat",
)


def office_date(moment: datetime | None = None) -> date:
    """The calendar date at the office (Dutch time) at `moment` (default: now)."""
    return (moment or utcnow()).astimezone(OFFICE_TZ).date()


def as_date(value: Any) -> date | None:
    """A date from a row value: a date already, an ISO string (history states) or None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def is_current(row: Mapping[str, Any], day: date) -> bool:
    """Not ended on `day`: no end date, or one after `day`."""
    until = as_date(row.get("until"))
    return until is None or until > day


def current_q(day: date) -> Q:
    return Q(until__isnull=True) | Q(until__gt=day)


def parse_id(value: Any, field: str, what: str = "Relation") -> uuid.UUID:
    """A UUID from a client id; NOT_FOUND (never a crash) for anything else."""
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise DomainError(Code.NOT_FOUND, f"{what} not found.", [field]) from None


async def lock_relations(fields: Mapping[str, uuid.UUID]) -> dict[str, Relation]:
    """The relations named by field (e.g. {"personId": id}), row-locked on PostgreSQL.

    Locked in id order so two writes on the same pair never deadlock; a missing relation
    is NOT_FOUND at its field.
    """
    ids = sorted({str(v) for v in fields.values()})
    rows = (
        await Relation.select_for_update()
        .filter(id__in=ids)
        .order_by("id")
        .only("id", "party_type", "display_name")
    )
    by_id = {str(r.id): r for r in rows}
    found: dict[str, Relation] = {}
    for field, relation_id in fields.items():
        relation = by_id.get(str(relation_id))
        if relation is None:
            raise DomainError(Code.NOT_FOUND, "Relation not found.", [field])
        found[field] = relation
    return found


def event_data(entity: str, entity_id: Any, changes: dict, state: dict | None) -> dict:
    return {"entity": entity, "id": str(entity_id), "changes": changes, "data": state}


def announce(
    unit: Unit,
    event_type: str,
    relation_ids: Iterable[Any],
    data: dict,
) -> None:
    """One event per affected relation, so the linked systems of either side hear it."""
    for relation_id in dict.fromkeys(str(r) for r in relation_ids):
        unit.event(event_type, relation_id, data)


# ---------------------------------------------------------------- raw SQL on both engines

_PARAM = re.compile(r":([a-z_][a-z0-9_]*)")


def _db() -> BaseDBAsyncClient:
    # The model's connection follows the running transaction, if any.
    return Shareholding._meta.db


def _is_postgres(db: BaseDBAsyncClient) -> bool:
    return db.capabilities.dialect == "postgres"


def _value(value: Any, postgres: bool) -> Any:
    # asyncpg wants native dates (and takes UUIDs as text); SQLite stores both as text.
    if not postgres and isinstance(value, date | uuid.UUID):
        return str(value)
    return value


def compile_sql(sql: str, params: Mapping[str, Any], postgres: bool) -> tuple[str, list[Any]]:
    """`:name` parameters (a list expands to several) -> `?` (SQLite) or `$n` (asyncpg)."""
    values: list[Any] = []
    numbers: dict[tuple[str, int], int] = {}

    def one(name: str, index: int, value: Any) -> str:
        if not postgres:
            values.append(_value(value, postgres))
            return "?"
        if (name, index) not in numbers:
            values.append(_value(value, postgres))
            numbers[(name, index)] = len(values)
        return f"${numbers[(name, index)]}"

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        value = params[name]
        if isinstance(value, list | tuple):
            return ", ".join(one(name, i, v) for i, v in enumerate(value)) or "NULL"
        return one(name, -1, value)

    return _PARAM.sub(replace, sql), values


async def fetch(sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows of one statement as dicts, on whichever engine is configured."""
    db = _db()
    query, values = compile_sql(sql, params, _is_postgres(db))
    return [dict(row) for row in await db.execute_query_dict(query, values)]


async def lock_shareholdings() -> None:
    """Serialise shareholding writes on PostgreSQL, so two concurrent additions can never
    close a cycle or pass 100% together (SQLite already writes one transaction at a time)."""
    db = _db()
    if _is_postgres(db):
        await db.execute_query("SELECT pg_advisory_xact_lock(4242001)")


def shareholding_row(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A raw shareholding row as `.values()` would give it (UUIDs, dates, Decimal)."""
    fields = Shareholding._meta.fields_map
    row: dict[str, Any] = {}
    for column in SHAREHOLDING_COLUMNS:
        value = raw[column]
        row[column] = None if value is None else fields[column].to_python_value(value)
    return row


# ---------------------------------------------------------------- the group, in one statement

# "Current" is `s.until IS NULL OR s.until > :day` throughout; written out, not formatted in.
GROUP_SQL = """
WITH RECURSIVE
up(origin, id) AS (
  SELECT r.id, r.id FROM relation r WHERE r.id IN (:origins)
  UNION
  SELECT u.origin, s.holder_id FROM shareholding s JOIN up u ON s.subsidiary_id = u.id
  WHERE (s.until IS NULL OR s.until > :day)
),
roots(origin, id) AS (
  SELECT u.origin, u.id FROM up u
  WHERE NOT EXISTS (
    SELECT 1 FROM shareholding s
    WHERE s.subsidiary_id = u.id AND (s.until IS NULL OR s.until > :day)
  )
),
down(origin, edge_id, subsidiary_id, depth) AS (
  SELECT r.origin, s.id, s.subsidiary_id, 0
  FROM shareholding s JOIN roots r ON s.holder_id = r.id
  WHERE (s.until IS NULL OR s.until > :day)
  UNION
  SELECT d.origin, s.id, s.subsidiary_id, d.depth + 1
  FROM shareholding s JOIN down d ON s.holder_id = d.subsidiary_id
  WHERE (s.until IS NULL OR s.until > :day) AND d.depth < :max_depth
)
SELECT m.origin AS origin, m.depth AS depth, s.id, s.holder_id, s.subsidiary_id, s.percentage,
  s.since, s.until, s.fiscal_unity_corporate_tax, s.fiscal_unity_vat
FROM (SELECT origin, edge_id, MIN(depth) AS depth FROM down GROUP BY origin, edge_id) m
JOIN shareholding s ON s.id = m.edge_id
JOIN relation h ON h.id = s.holder_id
JOIN relation b ON b.id = s.subsidiary_id
ORDER BY m.origin, m.depth, h.sort_name, b.sort_name, s.id
"""


async def group_rows(relation_ids: Sequence[str], day: date) -> dict[str, list[dict[str, Any]]]:
    """For each relation: every current shareholding of its group with its `depth`.

    The group is found by walking up to the ultimate parents (relations nobody holds now)
    and then down along every current shareholding; 0 is the depth of an edge from an
    ultimate parent. UNION (not UNION ALL) drops repeated rows, so the walk up stops by
    itself and the walk down only repeats an edge at a new depth (bounded by MAX_GROUP_DEPTH).
    ONE statement for any number of relations and any group size.
    """
    rows = await fetch(
        GROUP_SQL,
        {"origins": list(relation_ids), "day": day, "max_depth": MAX_GROUP_DEPTH},
    )
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for raw in rows:
        row = shareholding_row(raw)
        row["depth"] = int(raw["depth"])
        grouped[str(uuid.UUID(str(raw["origin"])))].append(row)
    return grouped


CYCLE_SQL = """
WITH RECURSIVE up(id) AS (
  SELECT r.id FROM relation r WHERE r.id = :holder
  UNION
  SELECT s.holder_id FROM shareholding s JOIN up u ON s.subsidiary_id = u.id
  WHERE (s.until IS NULL OR s.until > :day)
)
SELECT COUNT(*) AS found FROM up WHERE id = :subsidiary
"""


async def holds_indirectly(subsidiary_id: uuid.UUID, holder_id: uuid.UUID, day: date) -> bool:
    """Whether `subsidiary_id` is (at any depth) a current holder of `holder_id`, or the same:
    then holder -> subsidiary would close a cycle."""
    rows = await fetch(
        CYCLE_SQL, {"holder": str(holder_id), "subsidiary": str(subsidiary_id), "day": day}
    )
    return int(rows[0]["found"]) > 0
