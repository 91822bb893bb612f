"""The outbox: change events become deliveries to linked systems, inside the writing transaction.

`fan_out` runs in the unit of work's transaction, after its events are saved: one Delivery
per (event, active system with a webhook URL), whose body is the exact JSON text that will
be sent (built now, so a later edit of the relation cannot change what an event said).
The webhook dispatcher (server/integrations/webhooks.py) does the sending after COMMIT.

BSN columns never leave the server in a payload, except as a clear `bsn` for a system that
is explicitly allowed to receive it (`allow_bsn`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tortoise.connection import get_connection

from server.auth import secretbox
from server.models import ChangeEvent, Delivery, LinkedAccount, LinkedSystem, Relation

PENDING, DELIVERED, DEAD, CANCELLED = "PENDING", "DELIVERED", "DEAD", "CANCELLED"
BSN_FIELDS = frozenset({"bsn_encrypted", "bsn_index", "bsn_last_digits"})
# Any constant will do; it names the lock that orders event-writing transactions.
FEED_LOCK_KEY = 7_245_019_311


async def lock_feed() -> None:
    """Make commit order equal sequence order for transactions that write events.

    On PostgreSQL two writers could otherwise take sequences 5 and 6 and commit 6 first: a
    feed reader or the dispatcher would pass 5 by. The transaction-scoped advisory lock is
    taken just before the events are inserted and released at COMMIT. SQLite already runs
    one writing transaction at a time.
    """
    connection = get_connection("default")
    if connection.capabilities.dialect == "postgres":
        await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [FEED_LOCK_KEY])


def _without_bsn(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return {k: v for k, v in value.items() if k not in BSN_FIELDS}


def public_data(
    payload: Mapping[str, Any], relation_id: Any, relation_number: str | None
) -> dict[str, Any]:
    """An event's data as integrators see it (feed and webhooks), without any BSN column."""
    return {
        "relationId": str(relation_id) if relation_id is not None else None,
        "relationNumber": relation_number,
        "entity": payload.get("entity"),
        "entityId": payload.get("id"),
        "changes": _without_bsn(payload.get("changes") or {}),
        "data": _without_bsn(payload.get("data")),
    }


def _with_bsn(data: dict[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    """`data` plus the clear BSN held (encrypted) in the event, for systems allowed it."""
    state = payload.get("data")
    encrypted = state.get("bsn_encrypted") if isinstance(state, Mapping) else None
    clear = secretbox.decrypt(encrypted) if encrypted else None
    result = dict(data)
    if isinstance(result["data"], dict) and clear is not None:
        result["data"] = {**result["data"], "bsn": clear}
    changed = (payload.get("changes") or {}).get("bsn_encrypted")
    if isinstance(changed, list) and len(changed) == 2:
        # The old value is only known masked; the new one is the state's.
        result["changes"] = {**result["changes"], "bsn": [changed[0], clear]}
    return result


# A body holding a clear BSN is kept encrypted at rest (and so never shows in a SQL log).
SEALED = "sealed:"


def seal(body: str) -> str:
    return SEALED + secretbox.encrypt(body)


def delivery_body(stored: str) -> str:
    """The text to send for a stored delivery body (sealed or not)."""
    return secretbox.decrypt(stored[len(SEALED) :]) if stored.startswith(SEALED) else stored


def envelope(event: ChangeEvent, data: Mapping[str, Any]) -> str:
    """The JSON text of one webhook: event id, type, timestamp and data."""
    body = {
        "id": str(event.id),
        "type": event.type,
        "timestamp": event.occurred_at.isoformat(),
        "data": data,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


async def fan_out(events: Sequence[ChangeEvent], now: datetime) -> None:
    """Create the deliveries for freshly saved events: one per (event, webhook system)."""
    systems = await LinkedSystem.filter(active=True, webhook_url__isnull=False).values(
        "id", "allow_bsn", "webhook_url"
    )
    systems = [s for s in systems if s["webhook_url"]]
    if not systems or not events:
        return
    relation_ids = list({str(e.relation_id) for e in events if e.relation_id is not None})
    numbers = {
        str(rid): number
        for rid, number in await Relation.filter(id__in=relation_ids).values_list("id", "number")
    }
    external = await _external_ids(relation_ids, [s["id"] for s in systems])
    deliveries = []
    for event in events:
        rid = str(event.relation_id) if event.relation_id is not None else None
        base = public_data(event.payload, rid, numbers.get(rid) if rid else None)
        for system in systems:
            account = external.get((str(system["id"]), rid))
            data = {
                "relationId": rid,
                "relationNumber": base["relationNumber"],
                "externalId": account,
            }
            data.update(base)
            body = envelope(event, data)
            if system["allow_bsn"] and (with_bsn := _with_bsn(data, event.payload)) != data:
                body = seal(envelope(event, with_bsn))
            deliveries.append(_delivery(event, system["id"], rid, body, now))
    await Delivery.bulk_create(deliveries)


async def _external_ids(relation_ids: list[str], system_ids: list[Any]) -> dict[tuple, str]:
    if not relation_ids:
        return {}
    rows = await (
        LinkedAccount.filter(relation_id__in=relation_ids, system_id__in=system_ids)
        .order_by("created_at")
        .values_list("system_id", "relation_id", "external_id")
    )
    found: dict[tuple, str] = {}
    for system_id, relation_id, external_id in rows:
        found.setdefault((str(system_id), str(relation_id)), external_id)
    return found


def _delivery(
    event: ChangeEvent, system_id: Any, relation_id: str | None, body: str, now: datetime
) -> Delivery:
    return Delivery(
        event_id=event.sequence,
        system_id=system_id,
        relation_id=relation_id,
        body=body,
        state=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
