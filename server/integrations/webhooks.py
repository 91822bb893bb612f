"""The webhook dispatcher: delivers committed change events to linked systems.

Started in the app's lifespan (server/workers): `stop = await start()`. The loop sleeps
until a commit wakes it (the unit of work's after-commit hook) or the next delivery falls
due, at most POLL_SECONDS, so a commit in another process is picked up within a second.
Each round claims per system a batch of deliveries in event order (webhooks_store); a task
per batch sends it in order, outside any transaction, and records every attempt. Systems
are served side by side, each by at most one batch at a time. The loop outlives any error
of a round; logs never carry secrets or bodies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import traceback
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import httpx

from server import db
from server.auth import secretbox
from server.integrations import webhooks_store as store
from server.integrations.webhooks_send import Attempt, new_client, post
from server.services.unit import Unit, on_commit, utcnow

log = logging.getLogger("relatiebeheer.webhooks")
POLL_SECONDS = 0.5
LEASE_NAME = "webhook-dispatcher"
LEASE_TTL = timedelta(seconds=15)
STOP_GRACE_SECONDS = 2.0
ERROR_PAUSE_SECONDS = 5.0
_running: set[Dispatcher] = set()


def _wake_all(unit: Unit) -> None:
    if unit.events:
        for dispatcher in list(_running):
            dispatcher.wake()


class Dispatcher:
    """One dispatch loop. On SQLite it only dispatches while it holds the lease.

    The loop only claims; each claimed batch is sent and recorded by a task of its own,
    so a slow receiver (up to the 10 s timeout) delays its own system and no other.
    """

    def __init__(self) -> None:
        self.owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._event = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._stopping = False
        self._lease_until: datetime | None = None
        self._client: httpx.AsyncClient = new_client()
        self._task: asyncio.Task[None] | None = None
        self._busy: set[str] = set()
        self._sending: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        """Start a round now; safe to call from any thread."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._event.set()
        else:
            self._loop.call_soon_threadsafe(self._event.set)

    def start(self) -> None:
        on_commit(_wake_all)
        _running.add(self)
        self._task = asyncio.create_task(self._run(), name="webhook-dispatcher")

    async def stop(self) -> None:
        """Let batches in flight finish (briefly), then stop and let go of the lease."""
        self._stopping = True
        _running.discard(self)
        self._event.set()
        tasks = {t for t in (self._task, *self._sending) if t is not None}
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=STOP_GRACE_SECONDS)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        try:
            if self._lease_until is not None:
                await store.release_lease(LEASE_NAME, self.owner)
        except Exception as exc:
            _log_failure("releasing the lease", exc)
        await self._client.aclose()

    async def _run(self) -> None:
        while not self._stopping:
            # Cleared before the round: a commit during the round makes the wait below end
            # at once, so no wake-up is lost.
            self._event.clear()
            try:
                delay = await self.round()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                _log_failure("a dispatch round", exc)
                delay = POLL_SECONDS
            if delay > 0 and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._event.wait(), timeout=min(delay, POLL_SECONDS))

    async def round(self) -> float:
        """Claim what is due and start sending it; returns how long to wait at most."""
        now = utcnow()
        shared = db.is_postgres()
        if not shared and not await self._leased(now):
            return POLL_SECONDS
        batches, next_due = await store.claim(now, frozenset(self._busy), shared=shared)
        for batch in batches:
            self._busy.add(batch[0].system_id)
            task = asyncio.create_task(self._deliver(batch), name="webhook-batch")
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        return (next_due - now).total_seconds() if next_due else POLL_SECONDS

    async def _leased(self, now: datetime) -> bool:
        # Renewed when a third of its time is gone, so a live holder never loses it.
        if self._lease_until is not None and self._lease_until - now > LEASE_TTL * 2 / 3:
            return True
        until = now + LEASE_TTL
        if await store.hold_lease(LEASE_NAME, self.owner, until, now):
            self._lease_until = until
            return True
        self._lease_until = None
        return False

    async def _deliver(self, batch: list[store.Claimed]) -> None:
        system_id = batch[0].system_id
        try:
            run = await self._send(batch)
            await store.record(run, utcnow())
        except Exception as exc:
            # Not recorded: the batch is tried again, after a pause (not in a tight loop).
            _log_failure("a delivery batch", exc)
            self._loop.call_later(ERROR_PAUSE_SECONDS, self._release, system_id)
        else:
            self._release(system_id)

    def _release(self, system_id: str) -> None:
        self._busy.discard(system_id)
        self._event.set()

    async def _send(self, batch: list[store.Claimed]) -> store.SystemRun:
        """Send a system's batch in order, stopping at the first failure."""
        attempts: list[Attempt] = []
        try:
            secret = secretbox.decrypt(batch[0].secret_encrypted)
        except ValueError:
            attempts.append(Attempt(utcnow(), None, "SecretUnreadable", 0))
            return store.SystemRun(batch[0].system_id, batch, attempts)
        for claimed in batch:
            if self._stopping:
                break
            attempt = await post(
                self._client, claimed.url, secret, claimed.message_id, claimed.body.encode()
            )
            attempts.append(attempt)
            if not attempt.ok:
                break
        return store.SystemRun(batch[0].system_id, batch, attempts)


def _log_failure(what: str, exc: BaseException) -> None:
    # The class and where it happened, not the message: messages of database and HTTP
    # errors can quote parameters (bodies, URLs with tokens).
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {frame.filename}:{frame.lineno}" if frame else ""
    log.error("webhook dispatcher: %s failed with %s%s", what, type(exc).__name__, where)


async def start() -> Callable[[], Awaitable[None]]:
    """Start a dispatcher in this event loop; returns the function that stops it."""
    dispatcher = Dispatcher()
    dispatcher.start()
    return dispatcher.stop
