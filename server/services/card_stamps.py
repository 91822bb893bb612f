"""Card stamps: what the card cache checks to know that a cached card is still true.

Every relation has a stamp (a random number) that is renewed in the same transaction as
every write that touches the relation (`Unit.flush`, and the webhook dispatcher for the
linked accounts' sync state). Writes to office-wide data (a row with no relation: an
employee's name, a custom field definition, a linked system) renew the OFFICE stamp.

A card shows data of more relations than its own (the partner, linked relations and their
contacts, shareholders, the whole group, ...): `dependencies` lists them all, and a write to
any of them, or to an edge between them, renews one of their stamps. A cached card is served
only while every one of those stamps, read *before* the card was built, is unchanged.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from tortoise.connection import get_connection

from server.services.graph import fetch

OFFICE = "00000000-0000-0000-0000-000000000000"

# Every relation whose data a card of :id can show, in one statement. Kept generous: an id
# too many costs a row in the stamp check, an id too few would let a card go stale.
DEPENDENCIES_SQL = """
WITH RECURSIVE
up(id) AS (
  SELECT r.id FROM relation r WHERE r.id = :id
  UNION
  SELECT s.holder_id FROM shareholding s JOIN up u ON s.subsidiary_id = u.id
),
down(id) AS (
  SELECT id FROM up
  UNION
  SELECT s.subsidiary_id FROM shareholding s JOIN down d ON s.holder_id = d.id
)
SELECT id AS dep FROM down
UNION SELECT person_b_id FROM partnership WHERE person_a_id = :id
UNION SELECT person_a_id FROM partnership WHERE person_b_id = :id
UNION SELECT to_relation_id FROM relation_link WHERE from_relation_id = :id
UNION SELECT from_relation_id FROM relation_link WHERE to_relation_id = :id
UNION SELECT c.relation_id FROM relation_link l JOIN contact_person c ON c.id = l.contact_id
  WHERE l.from_relation_id = :id OR l.to_relation_id = :id
UNION SELECT c.person_id FROM contact_person c WHERE c.relation_id = :id
UNION SELECT c.relation_id FROM contact_person c WHERE c.person_id = :id
UNION SELECT c.relation_id FROM relation r JOIN contact_person c ON c.id = r.sbr_filing_contact_id
  WHERE r.id = :id
UNION SELECT c.relation_id FROM appointment a
  JOIN appointment_contact ac ON ac.appointment_id = a.id
  JOIN contact_person c ON c.id = ac.contact_id
  WHERE a.relation_id = :id
"""


async def dependencies(relation_id: str) -> frozenset[str]:
    """The relations (and the office) whose stamps vouch for a card of `relation_id`."""
    rows = await fetch(DEPENDENCIES_SQL, {"id": relation_id})
    found = {str(uuid.UUID(str(row["dep"]))) for row in rows if row["dep"] is not None}
    return frozenset(found | {str(uuid.UUID(relation_id)), OFFICE})


async def read(relation_ids: Iterable[str]) -> dict[str, int]:
    """The current stamp of each relation (0 for one never written since stamps began)."""
    ids = sorted(set(relation_ids))
    rows = await fetch(
        "SELECT relation_id, stamp FROM card_stamp WHERE relation_id IN (:ids)", {"ids": ids}
    )
    found = {str(uuid.UUID(str(row["relation_id"]))): int(row["stamp"]) for row in rows}
    return {rid: found.get(rid, 0) for rid in ids}


async def renew(relation_ids: Iterable[str], *, office: bool = False) -> None:
    """Give these relations (and the office) new stamps, inside the caller's transaction.

    Ids are sorted so that concurrent writers lock the rows in one order (no deadlock).
    """
    ids = {str(uuid.UUID(str(rid))) for rid in relation_ids}
    if office:
        ids.add(OFFICE)
    if not ids:
        return
    conn = get_connection("default")
    postgres = conn.capabilities.dialect == "postgres"
    sql = UPSERT_POSTGRES if postgres else UPSERT_SQLITE
    for rid in sorted(ids):
        await conn.execute_query(
            sql, [uuid.UUID(rid) if postgres else rid, secrets.randbits(62) + 1]
        )


UPSERT_SQLITE = (
    "INSERT INTO card_stamp (relation_id, stamp) VALUES (?, ?) "
    "ON CONFLICT (relation_id) DO UPDATE SET stamp = excluded.stamp"
)
UPSERT_POSTGRES = UPSERT_SQLITE.replace("(?, ?)", "($1, $2)")


def unchanged(kept: Mapping[str, int], now: Mapping[str, int]) -> bool:
    return all(now.get(rid, 0) == stamp for rid, stamp in kept.items())


# The relations whose nodes the running request built (when a card is being cached).
_seen: ContextVar[set[str] | None] = ContextVar("card_relations_seen", default=None)


@contextmanager
def collecting() -> Iterator[set[str]]:
    """Collect the ids `note`d while the block runs (resolvers share the set)."""
    seen: set[str] = set()
    token = _seen.set(seen)
    try:
        yield seen
    finally:
        _seen.reset(token)


def note(*relation_ids: object) -> None:
    """A node of these relations was built for the answer (no-op unless collecting)."""
    seen = _seen.get()
    if seen is not None:
        seen.update(str(rid) for rid in relation_ids if rid is not None)
