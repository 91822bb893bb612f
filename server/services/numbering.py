"""Human relation numbers from the `counter` table, handed out inside the write transaction.

One statement increments (or creates) the counter and returns the new value: the row
stays locked until COMMIT on PostgreSQL and SQLite serialises writers anyway, so two
concurrent creates never get the same number, and a rolled-back create leaves no gap.
"""

from __future__ import annotations

from tortoise.connection import get_connection

RELATION_COUNTER = "relation_number"
FIRST_RELATION_NUMBER = 10001
_UPSERT = (
    'INSERT INTO "counter" ("name", "value") VALUES (?, 1) '
    'ON CONFLICT ("name") DO UPDATE SET "value" = "counter"."value" + 1 RETURNING "value"'
)


def relation_number(value: int) -> str:
    """The n-th relation number: 10001, 10002, ..."""
    return str(FIRST_RELATION_NUMBER - 1 + value)


async def next_value(name: str) -> int:
    """Increment counter `name` (created at 1) and return its new value; call in a transaction."""
    conn = get_connection("default")
    sql = _UPSERT.replace("?", "$1") if conn.capabilities.dialect == "postgres" else _UPSERT
    rows = await conn.execute_query_dict(sql, [name])
    return int(rows[0]["value"])


async def next_relation_number() -> str:
    return relation_number(await next_value(RELATION_COUNTER))
