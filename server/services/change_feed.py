"""The change feed: committed change events in sequence order, for integrators that pull."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.errors import Code, DomainError
from server.models import ChangeEvent, Relation
from server.services.outbox import public_data
from server.settings import get_settings


@dataclass(frozen=True)
class FeedItem:
    id: str
    sequence: str
    type: str
    occurred_at: datetime
    relation_id: str | None
    payload: dict[str, Any]


def _position(after: str | None) -> int:
    if after is None or after == "":
        return 0
    if not after.isdigit() or len(after) > 19:
        raise DomainError(Code.INVALID, "Pass a sequence from this feed as `after`.", ["after"])
    return int(after)


def _page_size(first: int | None) -> int:
    """`first` capped at the page limit (100); zero or less asks for nothing."""
    limit = get_settings().max_page_size
    if first is None:
        return limit
    return max(0, min(first, limit))


async def changes(after: str | None, first: int | None) -> list[FeedItem]:
    """Events after sequence `after` (exclusive), oldest first, at most 100, without BSN.

    Sequences only grow, and an event becomes visible only with all earlier ones
    (writers take the feed lock, see outbox.lock_feed), so `after` = the last sequence
    seen never skips an event.
    """
    position, size = _position(after), _page_size(first)
    if size == 0:
        return []
    rows = await (
        ChangeEvent.filter(sequence__gt=position)
        .order_by("sequence")
        .limit(size)
        .values("sequence", "id", "type", "relation_id", "occurred_at", "payload")
    )
    relation_ids = list({str(r["relation_id"]) for r in rows if r["relation_id"] is not None})
    numbers = (
        {
            str(rid): number
            for rid, number in await Relation.filter(id__in=relation_ids).values_list(
                "id", "number"
            )
        }
        if relation_ids
        else {}
    )
    items = []
    for row in rows:
        rid = str(row["relation_id"]) if row["relation_id"] is not None else None
        items.append(
            FeedItem(
                id=str(row["id"]),
                sequence=str(row["sequence"]),
                type=row["type"],
                occurred_at=row["occurred_at"],
                relation_id=rid,
                payload=public_data(row["payload"] or {}, rid, numbers.get(rid) if rid else None),
            )
        )
    return items
