"""The sync state machine of a calendar connection, kept on its row (after twenty).

States, read from the columns:
  PENDING_FULL_SYNC  no sync token: the next run lists the whole calendar
  IDLE               token held, next run at next_sync_at
  SYNCING            a worker holds the lease (lease_owner, lease_until)
  FAILING            the last run failed: last_error set, failure_count > 0, backing off
  INACTIVE           switched off

Transitions are the functions below. A run is claimed with a lease (one atomic conditional
UPDATE, on SQLite and PostgreSQL alike), so several workers never sync one connection at
once; a crashed worker's lease simply runs out.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from tortoise.expressions import Q

from server.auth import secretbox
from server.models import CalendarConnection
from server.services.unit import utcnow
from server.settings import get_settings

LEASE = timedelta(minutes=5)
MAX_BACKOFF_SECONDS = 3600.0
ERROR_MAX = 500


class Stage(StrEnum):
    PENDING_FULL_SYNC = "PENDING_FULL_SYNC"
    IDLE = "IDLE"
    SYNCING = "SYNCING"
    FAILING = "FAILING"
    INACTIVE = "INACTIVE"


@dataclass(frozen=True)
class Connection:
    """What one run needs of the row; the password decrypted only for the driver."""

    id: str
    employee_id: str
    provider: str
    url: str
    username: str | None
    password: str | None
    sync_token: str | None


def new_owner() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def stage_of(row: dict[str, Any], now: datetime | None = None) -> Stage:
    now = now or utcnow()
    if not row["active"]:
        return Stage.INACTIVE
    if row["lease_until"] is not None and row["lease_until"] > now:
        return Stage.SYNCING
    if row["failure_count"]:
        return Stage.FAILING
    return Stage.IDLE if row["sync_token"] else Stage.PENDING_FULL_SYNC


def backoff_seconds(failures: int, interval: float) -> float:
    """Exponential: 2x the interval after the first failure, doubling, at most an hour."""
    return float(min(interval * (2 ** max(failures, 1)), MAX_BACKOFF_SECONDS))


async def due(now: datetime, limit: int = 20) -> list[str]:
    """Active connections whose run is due and whose lease is free."""
    rows = (
        await CalendarConnection.filter(active=True)
        .filter(Q(next_sync_at=None) | Q(next_sync_at__lte=now))
        .filter(Q(lease_until=None) | Q(lease_until__lt=now))
        .order_by("next_sync_at")
        .limit(limit)
        .values_list("id", flat=True)
    )
    return [str(r) for r in rows]


async def start_sync(connection_id: str, owner: str, now: datetime | None = None) -> bool:
    """Take the lease (SYNCING); False when another worker holds it."""
    now = now or utcnow()
    taken = (
        await CalendarConnection.filter(id=connection_id, active=True)
        .filter(Q(lease_until=None) | Q(lease_until__lt=now) | Q(lease_owner=owner))
        .update(lease_owner=owner, lease_until=now + LEASE)
    )
    return bool(taken)


async def renew(connection_id: str, owner: str) -> bool:
    """Extend the lease of a long run; False when it was lost (stop writing then)."""
    now = utcnow()
    kept = await CalendarConnection.filter(id=connection_id, lease_owner=owner).update(
        lease_until=now + LEASE
    )
    return bool(kept)


async def load(connection_id: str) -> Connection:
    row = await CalendarConnection.get(id=connection_id)
    password = secretbox.decrypt(row.password_encrypted) if row.password_encrypted else None
    return Connection(
        id=str(row.id),
        employee_id=str(row.employee_id),  # type: ignore[attr-defined]
        provider=row.provider,
        url=row.url,
        username=row.username,
        password=password,
        sync_token=row.sync_token,
    )


async def save_token(connection_id: str, owner: str, token: str | None) -> None:
    await CalendarConnection.filter(id=connection_id, lease_owner=owner).update(sync_token=token)


async def schedule_full_sync(connection_id: str) -> None:
    """Forget the token: the next run lists everything and diffs it with the status table."""
    await CalendarConnection.filter(id=connection_id).update(sync_token=None, next_sync_at=utcnow())


async def mark_sync_succeeded(connection_id: str, owner: str) -> None:
    now = utcnow()
    interval = get_settings().calendar_sync_interval
    await CalendarConnection.filter(id=connection_id, lease_owner=owner).update(
        last_synced_at=now,
        last_error=None,
        failure_count=0,
        next_sync_at=now + timedelta(seconds=interval),
        lease_owner=None,
        lease_until=None,
    )


async def mark_sync_failed(connection_id: str, owner: str, message: str) -> None:
    """FAILING: keep the message (never a credential), back off exponentially."""
    now = utcnow()
    row = await CalendarConnection.get(id=connection_id)
    failures = row.failure_count + 1
    delay = backoff_seconds(failures, get_settings().calendar_sync_interval)
    await CalendarConnection.filter(id=connection_id, lease_owner=owner).update(
        last_error=message[:ERROR_MAX],
        failure_count=failures,
        next_sync_at=now + timedelta(seconds=delay),
        lease_owner=None,
        lease_until=None,
    )
