"""Frozen, tamper-evident relation cards: one SHA-256 chain for the whole office.

A snapshot holds the card exactly as the RelationCard operation answers it (executed
in-process as the employee who takes it), stored as canonical JSON text. Its
content_hash = SHA-256(card text as UTF-8 bytes + previous snapshot's content_hash as
ASCII hex, nothing for the first); snapshots are ordered by `position`. Appends are
serialised (a transaction-level advisory lock on PostgreSQL, the single writer on
SQLite; `position` is unique either way), and triggers refuse UPDATE and DELETE
(server/services/snapshot_guards.py).

The card never holds a clear BSN (only bsnMasked, as on the live card); the encrypted
BSNs of the relation and its partner are kept beside it, readable under the live rule.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tortoise.transactions import in_transaction

from server.auth.permissions import Actor
from server.errors import Code, DomainError
from server.models import Relation, Snapshot
from server.services import card_stamps
from server.services.unit import utcnow

CARD_QUERY = Path(__file__).with_name("snapshot_card.graphql").read_text(encoding="utf-8")
# The card's appointments are those within this window either side of the moment taken.
APPOINTMENT_WINDOW = timedelta(days=366)
MAX_REASON_LENGTH = 2000
# Any fixed 64-bit number, the same in every process sharing the database.
CHAIN_LOCK_KEY = 0x5EA1_C4A1_0001
VERIFY_PAGE = 200

# (actor, relation id, variables) -> the operation's `data` ({"relation": ...}).
CardRenderer = Callable[[Actor, str, dict[str, Any]], Awaitable[dict[str, Any]]]


def canonical(card: Any) -> str:
    """The one text form of a card: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(card, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(card_text: str, previous_hash: str | None) -> str:
    """SHA-256 hex over the canonical card bytes followed by the previous hash."""
    data = card_text.encode("utf-8") + (previous_hash or "").encode("ascii")
    return hashlib.sha256(data).hexdigest()


def card_variables(moment: datetime) -> dict[str, Any]:
    """The RelationCard variables for a snapshot taken at `moment` (without the id)."""
    return {
        "from": (moment - APPOINTMENT_WINDOW).isoformat(),
        "to": (moment + APPOINTMENT_WINDOW).isoformat(),
    }


def _relation_uuid(relation_id: str) -> str:
    try:
        return str(uuid.UUID(str(relation_id)))
    except ValueError:
        raise DomainError(Code.NOT_FOUND, "No relation with this id.", ["relationId"]) from None


def _clean_reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise DomainError(Code.REQUIRED, "Give the reason for this snapshot.", ["reason"])
    if len(cleaned) > MAX_REASON_LENGTH:
        raise DomainError(
            Code.LIMIT, f"The reason is longer than {MAX_REASON_LENGTH} characters.", ["reason"]
        )
    return cleaned


async def create_snapshot(
    actor: Actor, relation_id: str, reason: str, render: CardRenderer
) -> dict[str, Any]:
    """Freeze the relation's card now and append it to the chain; returns the stored row."""
    cleaned = _clean_reason(reason)
    rid = _relation_uuid(relation_id)
    if not await Relation.exists(id=rid):
        raise DomainError(Code.NOT_FOUND, "No relation with this id.", ["relationId"])
    now = utcnow()
    card = await render(actor, rid, {"id": rid, **card_variables(now)})
    if not card.get("relation"):
        raise DomainError(Code.NOT_FOUND, "No relation with this id.", ["relationId"])
    text = canonical(card)
    bsns = await _encrypted_bsns(rid, _partner_id(card))
    return await _append(
        relation_id=rid,
        taken_at=now,
        taken_by_id=actor.id or None,
        reason=cleaned,
        card=text,
        bsn_encrypted=json.dumps(bsns, sort_keys=True) if bsns else None,
    )


def _partner_id(card: dict[str, Any]) -> str | None:
    partnership = card["relation"].get("partnership") or {}
    partner = partnership.get("partner") or {}
    return partner.get("id")


async def _encrypted_bsns(relation_id: str, partner_id: str | None) -> dict[str, str]:
    ids = [relation_id] + ([partner_id] if partner_id else [])
    rows = await Relation.filter(id__in=ids).values("id", "bsn_encrypted")
    return {str(r["id"]): r["bsn_encrypted"] for r in rows if r["bsn_encrypted"]}


async def _append(**fields: Any) -> dict[str, Any]:
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [CHAIN_LOCK_KEY])
        last = (
            await Snapshot.filter()
            .using_db(connection)
            .order_by("-position")
            .limit(1)
            .values("position", "content_hash")
        )
        position = last[0]["position"] + 1 if last else 1
        previous = last[0]["content_hash"] if last else None
        snapshot = await Snapshot.create(
            using_db=connection,
            id=uuid.uuid4(),
            position=position,
            content_hash=chain_hash(fields["card"], previous),
            previous_hash=previous,
            **fields,
        )
        # The card lists its snapshots: a cached card must not outlive this one.
        await card_stamps.renew([fields["relation_id"]])
    return {name: getattr(snapshot, name) for name in Snapshot._meta.fields_db_projection}


async def snapshot_row(snapshot_id: str) -> dict[str, Any] | None:
    """One stored snapshot as a row dict (card text included), or None."""
    try:
        sid = uuid.UUID(str(snapshot_id))
    except ValueError:
        return None
    rows = await Snapshot.filter(id=sid).values(*Snapshot._meta.fields_db_projection)
    return rows[0] if rows else None


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_broken_id: str | None = None
    head_hash: str | None = None


async def verify_chain() -> Verification:
    """Recompute the chain in position order; name the first snapshot that does not fit.

    A snapshot is broken when its previous_hash is not its predecessor's content_hash or
    its content_hash is not the hash of its own stored card and that previous hash.
    `checked` counts the snapshots examined, the broken one included.
    """
    previous: str | None = None
    checked = 0
    after = 0
    while True:
        rows = (
            await Snapshot.filter(position__gt=after)
            .order_by("position")
            .limit(VERIFY_PAGE)
            .values("id", "position", "card", "content_hash", "previous_hash")
        )
        for row in rows:
            checked += 1
            expected = chain_hash(row["card"], previous)
            if row["previous_hash"] != previous or row["content_hash"] != expected:
                return Verification(False, checked, str(row["id"]), previous)
            previous = row["content_hash"]
            after = row["position"]
        if len(rows) < VERIFY_PAGE:
            return Verification(True, checked, None, previous)
