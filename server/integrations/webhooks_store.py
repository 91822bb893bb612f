"""The dispatcher's database work: claiming due deliveries, recording attempts, the lease.

Ordering: per system only the oldest PENDING delivery (its *head*) may be attempted; a
claim takes the head and up to BATCH-1 deliveries behind it, to be sent one after the
other. On PostgreSQL claims are short transactions that lock the rows with
`FOR NO KEY UPDATE SKIP LOCKED` and set `next_attempt_at` to a lease (now + 60 s) before
COMMIT, so several dispatchers (workers, machines) never take the same system at once and
a batch of a crashed dispatcher is retried when its lease runs out. On SQLite exactly one
dispatcher runs, chosen by the `worker_lease` row, and its claims only read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.functions import Min
from tortoise.transactions import in_transaction

from server.auth.permissions import SYSTEM_ACTOR
from server.integrations.webhooks_send import Attempt, next_delay
from server.models import Delivery, DeliveryAttempt, LinkedSystem, WorkerLease
from server.services import card_stamps
from server.services.outbox import CANCELLED, DEAD, DELIVERED, PENDING, delivery_body
from server.services.unit import row_state, unit_of_work

LEASE = timedelta(seconds=60)
BATCH = 20
GONE_REASON = "The webhook endpoint answered 410 Gone."


@dataclass(frozen=True)
class Claimed:
    """One claimed delivery with what sending it needs."""

    id: int
    system_id: str
    message_id: str
    body: str
    attempts: int
    created_at: datetime
    url: str
    secret_encrypted: str
    relation_id: str | None = None


@dataclass
class SystemRun:
    """A system's claimed batch after sending: attempts made, in order, and the rest."""

    system_id: str
    batch: list[Claimed]
    attempts: list[Attempt]


async def _heads(
    now: datetime, busy: frozenset[str]
) -> tuple[list[dict[str, Any]], datetime | None]:
    """Due heads of active systems not `busy`, and when the earliest other head falls due."""
    query = Delivery.filter(state=PENDING, system__active=True, system__webhook_url__isnull=False)
    if busy:
        query = query.exclude(system_id__in=list(busy))
    heads = await (
        query.annotate(head=Min("event_id")).group_by("system_id").values("system_id", "head")
    )
    if not heads:
        return [], None
    match = Q(*(Q(system_id=h["system_id"], event_id=h["head"]) for h in heads), join_type="OR")
    rows = await Delivery.filter(match).values("id", "system_id", "next_attempt_at")
    due = [r for r in rows if r["next_attempt_at"] <= now]
    later = [r["next_attempt_at"] for r in rows if r["next_attempt_at"] > now]
    return due, min(later, default=None)


async def claim(
    now: datetime, busy: frozenset[str] = frozenset(), *, shared: bool = True
) -> tuple[list[list[Claimed]], datetime | None]:
    """Claim a batch for every system whose head is due (but `busy` ones); and the next
    due time of the others.

    `shared`: other dispatchers may run (PostgreSQL), so the batches are locked and
    leased. A sole dispatcher (SQLite, under the worker lease) only reads: its own `busy`
    set keeps a system from being taken twice, and nothing needs undoing after a crash.
    """
    due, next_due = await _heads(now, busy)
    if not due:
        return [], next_due
    if not shared:
        return await _load(await _batches(due, now, lock=False)), next_due
    async with in_transaction():
        claimed = await _batches(due, now, lock=True)
        if claimed:
            await Delivery.filter(id__in=claimed).update(next_attempt_at=now + LEASE)
    return await _load(claimed), next_due


async def _batches(due: list[dict[str, Any]], now: datetime, *, lock: bool) -> list[int]:
    """The due heads still pending (and, with `lock`, not locked by another dispatcher),
    each followed by up to BATCH-1 of its system's next deliveries. Two statements."""

    def locked(query: Any) -> Any:
        return query.select_for_update(skip_locked=True, no_key=True) if lock else query

    # A head that is still PENDING is still its system's oldest: nothing older comes back.
    heads = await locked(
        Delivery.filter(id__in=[h["id"] for h in due], state=PENDING, next_attempt_at__lte=now)
    ).only("id", "system_id")
    if not heads:
        return []
    followers = await locked(
        Delivery.filter(
            system_id__in=[h.system_id for h in heads],
            state=PENDING,
            id__not_in=[h.id for h in heads],
        )
        .order_by("event_id")
        .limit(BATCH * len(heads))
    ).only("id", "system_id")
    batches: dict[str, list[int]] = {str(h.system_id): [h.id] for h in heads}
    for row in followers:
        batch = batches[str(row.system_id)]
        if len(batch) < BATCH:
            batch.append(row.id)
    return [delivery_id for batch in batches.values() for delivery_id in batch]


async def _load(ids: list[int]) -> list[list[Claimed]]:
    if not ids:
        return []
    rows = await (
        Delivery.filter(id__in=ids)
        .order_by("event_id")
        .values(
            "id",
            "system_id",
            "body",
            "attempts",
            "created_at",
            "event__id",
            "relation_id",
            "system__webhook_url",
            "system__webhook_secret_encrypted",
        )
    )
    by_system: dict[str, list[Claimed]] = defaultdict(list)
    for r in rows:
        by_system[str(r["system_id"])].append(
            Claimed(
                id=r["id"],
                system_id=str(r["system_id"]),
                message_id=str(r["event__id"]),
                body=delivery_body(r["body"]),
                attempts=r["attempts"],
                created_at=r["created_at"],
                url=r["system__webhook_url"] or "",
                secret_encrypted=r["system__webhook_secret_encrypted"] or "",
                relation_id=str(r["relation_id"]) if r["relation_id"] else None,
            )
        )
    return list(by_system.values())


async def record(run: SystemRun, now: datetime) -> None:
    """Write a batch's attempts and its deliveries' new states in one short transaction."""
    async with in_transaction():
        await DeliveryAttempt.bulk_create(
            [
                DeliveryAttempt(
                    delivery_id=claimed.id,
                    at=attempt.at,
                    status_code=attempt.status_code,
                    error=attempt.error,
                    duration_ms=attempt.duration_ms,
                )
                for claimed, attempt in zip(run.batch, run.attempts, strict=False)
            ]
        )
        await _record_run(run, now)


async def _record_run(run: SystemRun, now: datetime) -> None:
    delivered = [c.id for c, a in zip(run.batch, run.attempts, strict=False) if a.ok]
    if delivered:
        # One statement for the batch: the status code and time of its last success.
        last = run.attempts[len(delivered) - 1]
        await Delivery.filter(id__in=delivered).update(
            state=DELIVERED,
            attempts=F("attempts") + 1,
            last_status_code=last.status_code,
            delivered_at=last.at,
        )
    if len(run.attempts) > len(delivered):
        # Only the last attempt of a run can have failed: a run stops at a failure.
        claimed, attempt = run.batch[len(delivered)], run.attempts[-1]
        if attempt.gone:
            await _disable(run.system_id, claimed, attempt)
        else:
            await _failed(claimed, attempt)
    untried = [c.id for c in run.batch[len(run.attempts) :]]
    if untried:
        # Release their lease: each must be due as soon as it becomes the head.
        await Delivery.filter(id__in=untried, state=PENDING).update(next_attempt_at=now)
    # The cards of these relations show the sync state: after the change, same transaction.
    tried = {c.relation_id for c in run.batch[: len(run.attempts)] if c.relation_id}
    gone = len(run.attempts) > len(delivered) and run.attempts[-1].gone
    await card_stamps.renew(tried, office=gone)


async def _failed(claimed: Claimed, attempt: Attempt) -> None:
    attempts = claimed.attempts + 1
    delay = next_delay(attempts, claimed.created_at, attempt.at, attempt.retry_after)
    changes: dict[str, Any] = {"attempts": attempts, "last_status_code": attempt.status_code}
    if delay is None:
        changes["state"] = DEAD
    else:
        changes["next_attempt_at"] = attempt.at + timedelta(seconds=delay)
    await Delivery.filter(id=claimed.id, state=PENDING).update(**changes)


async def _disable(system_id: str, claimed: Claimed, attempt: Attempt) -> None:
    """410 Gone: the system is deactivated (in its history, by the system actor) and none
    of its pending deliveries is sent."""
    async with unit_of_work(SYSTEM_ACTOR) as unit:
        system = await LinkedSystem.get(id=system_id)
        before = row_state(system)
        system.active, system.disabled_reason = False, GONE_REASON
        await system.save(update_fields=["active", "disabled_reason"])
        unit.record("linked_system", system.id, before, row_state(system))
    await Delivery.filter(id=claimed.id).update(
        state=CANCELLED, attempts=F("attempts") + 1, last_status_code=attempt.status_code
    )
    await Delivery.filter(system_id=system_id, state=PENDING).update(state=CANCELLED)


async def hold_lease(name: str, owner: str, until: datetime, now: datetime) -> bool:
    """Take or renew the named lease if it is free, expired or already ours (atomic)."""
    taken = await WorkerLease.filter(Q(name=name) & (Q(owner=owner) | Q(until__lt=now))).update(
        owner=owner, until=until
    )
    if taken:
        return True
    if await WorkerLease.filter(name=name).exists():
        return False
    try:
        await WorkerLease.create(name=name, owner=owner, until=until)
    except IntegrityError:
        return False
    return True


async def release_lease(name: str, owner: str) -> None:
    await WorkerLease.filter(name=name, owner=owner).delete()
