"""Two-way calendar sync: one run per connection, and the background loop that runs them.

A run (after vdirsyncer and DAVx5):
1. claim the connection's lease (calendar_state) and read the state from the database;
2. ask the calendar what changed since the sync token (a stale token: list everything and
   diff the listing with the status table to find deletions), fetch only resources whose
   ETag differs from the status row;
3. decide per UID (calendar_plan), refuse mass deletion when the calendar suddenly looks
   empty (the guard), write pulled changes with their status rows in short transactions,
   then store the new token;
4. push the CRM's changes one by one: conditional PUT/DELETE, then the status row. A 412
   means the calendar changed in between: refetch and apply the conflict rule.
Network calls never run inside a transaction. A failure leaves every finished step
recorded, so the next run picks up where this one stopped: nothing lost, nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from server.auth.permissions import Actor
from server.integrations import calendar_state as state
from server.integrations import calendar_store as store
from server.integrations.caldav_driver import CalDavDriver
from server.integrations.calendar_plan import (
    PULL_KINDS,
    Action,
    Kind,
    Remote,
    Status,
    plan,
)
from server.integrations.calendar_provider import (
    CalendarDriver,
    Delta,
    ProviderError,
    ProviderErrorCode,
)
from server.integrations.calendar_push import parse_remote, push
from server.services.unit import utcnow
from server.settings import get_settings

log = logging.getLogger("relatiebeheer.calendar")
# The guard: with at least this many synchronised events, a run that would delete all of
# them deletes nothing (a wiped or wrongly pointed calendar must not wipe the CRM).
EMPTY_GUARD_MIN = 5
RENEW_EVERY = 50
DRIVER_TIMEOUT = 15.0


class SyncBusy(Exception):
    """Another worker is synchronising this connection right now."""


class SyncStopped(Exception):
    """A run stopped on purpose (guard, lost lease); the message is safe to show."""


@dataclass
class SyncReport:
    pulled: int = 0
    pushed: int = 0
    conflicts: int = 0
    requests: int = 0
    error: str | None = None


def caldav_driver(connection: state.Connection) -> CalendarDriver:
    return CalDavDriver(
        connection.url, connection.username, connection.password, timeout=DRIVER_TIMEOUT
    )


# One driver per provider; a Microsoft 365 driver registers as "MICROSOFT" (docs/calendar.md).
DRIVERS: dict[str, Callable[[state.Connection], CalendarDriver]] = {"CALDAV": caldav_driver}


async def sync_now(
    connection_id: str, *, force_delete: bool = False, owner: str | None = None
) -> SyncReport:
    """Run one two-way sync of this connection; raises SyncBusy if it is running elsewhere."""
    owner = owner or state.new_owner()
    if not await state.start_sync(connection_id, owner):
        raise SyncBusy(connection_id)
    report = SyncReport()
    try:
        await _run(connection_id, owner, report, force_delete)
    except (ProviderError, SyncStopped) as stop:
        report.error = stop.message if isinstance(stop, ProviderError) else str(stop)
    except Exception:
        log.exception("calendar sync of connection %s failed", connection_id)
        report.error = "internal error during synchronisation (see the server log)"
    if report.error:
        log.warning("calendar sync of connection %s: %s", connection_id, report.error)
        await state.mark_sync_failed(connection_id, owner, report.error)
    else:
        await state.mark_sync_succeeded(connection_id, owner)
    return report


async def _run(connection_id: str, owner: str, report: SyncReport, force_delete: bool) -> None:
    connection = await state.load(connection_id)
    driver = DRIVERS[connection.provider](connection)
    try:
        delta = await _delta(driver, connection.sync_token)
        known = await store.statuses(connection.id)
        remotes, deleted = await _remote_side(driver, delta, known)
        if not force_delete:
            _guard(known, deleted)
        linked = {s.appointment_id for s in known.values() if s.appointment_id}
        foreign = {uid for uid in remotes if uid not in known or not known[uid].linked}
        locals_ = await store.locals_for(connection.employee_id, linked, foreign)
        actions = plan(known, locals_, remotes, deleted)
        actor = await store.actor_for(connection.employee_id)
        pulls = [a for a in actions if a.kind in PULL_KINDS]
        await store.apply_pulls(connection.id, actor, pulls)
        await state.save_token(connection.id, owner, delta.token)
        report.pulled = sum(a.kind in {Kind.PULL, Kind.PULL_DELETE} for a in pulls)
        report.conflicts = sum(a.note is not None for a in actions)
        await _push_all(driver, connection, owner, actor, actions, report)
        if report.pushed:
            await _advance_token(driver, connection.id, owner, delta.token)
    finally:
        report.requests += driver.requests
        await driver.close()


async def _delta(driver: CalendarDriver, token: str | None) -> Delta:
    try:
        return await driver.changes(token)
    except ProviderError as error:
        if error.code is not ProviderErrorCode.TOKEN_EXPIRED or token is None:
            raise
        log.info("sync token expired; listing the whole calendar")
        return await driver.changes(None)


async def _remote_side(
    driver: CalendarDriver, delta: Delta, known: dict[str, Status]
) -> tuple[dict[str, Remote], set[str]]:
    """Changed resources by UID (fetched only when their ETag moved) and deleted UIDs."""
    by_href = {s.href: s for s in known.values() if s.href}
    listed = {ref.href for ref in delta.changed}
    stale = [
        ref.href
        for ref in delta.changed
        if ref.etag is None or ref.href not in by_href or by_href[ref.href].etag != ref.etag
    ]
    items = await driver.fetch(stale)
    remotes: dict[str, Remote] = {}
    for item in items:
        remote, uid = parse_remote(item.href, item.etag, item.ical, by_href)
        if uid not in remotes or (uid in known and known[uid].href == item.href):
            remotes[uid] = remote
    gone = set(delta.deleted) | (set(stale) - {i.href for i in items})
    if delta.full:
        gone |= set(by_href) - listed
    deleted = {by_href[h].uid for h in gone if h in by_href}
    deleted |= {by_href[r.href].uid for r in remotes.values() if r.href in by_href}
    return remotes, deleted - set(remotes)


async def _advance_token(
    driver: CalendarDriver, connection_id: str, owner: str, token: str | None
) -> None:
    """Move the token past our own pushes, if they are all the calendar reports since.

    Then the token names the state we leave behind (some servers derive tokens from the
    content, so an old one can name a later state again); anything else since is left for
    the next run to pull.
    """
    try:
        delta = await driver.changes(token)
    except ProviderError:
        return
    known = {s.href: s.etag for s in (await store.statuses(connection_id)).values() if s.href}
    echoes = all(ref.etag is not None and known.get(ref.href) == ref.etag for ref in delta.changed)
    if echoes and not (set(delta.deleted) & set(known)) and not delta.truncated:
        await state.save_token(connection_id, owner, delta.token)


def _guard(known: dict[str, Status], deleted: set[str]) -> None:
    linked = [s for s in known.values() if s.linked]
    doomed = [uid for uid in deleted if uid in known and known[uid].linked]
    if len(linked) >= EMPTY_GUARD_MIN and len(doomed) == len(linked):
        raise SyncStopped(
            f"The calendar suddenly appears empty while {len(linked)} events were synchronised "
            "with it; nothing was deleted. Check the calendar, then run syncCalendar with "
            "forceDelete: true to accept the deletions."
        )


async def _push_all(
    driver: CalendarDriver,
    connection: state.Connection,
    owner: str,
    actor: Actor,
    actions: list[Action],
    report: SyncReport,
) -> None:
    pushes = [a for a in actions if a.kind not in PULL_KINDS]
    for index, action in enumerate(pushes):
        if index % RENEW_EVERY == RENEW_EVERY - 1 and not await state.renew(connection.id, owner):
            raise SyncStopped("the sync lease was lost to another worker; stopped")
        await push(driver, connection.id, actor, action)
        report.pushed += 1


# ---------------------------------------------------------------- the background loop


async def run_due(owner: str) -> int:
    """Sync every connection that is due; returns how many ran."""
    ran = 0
    for connection_id in await state.due(utcnow()):
        try:
            await sync_now(connection_id, owner=owner)
        except SyncBusy:
            continue
        ran += 1
    return ran


async def start() -> Callable[[], Awaitable[None]]:
    """Start the loop (every settings.calendar_sync_interval seconds); returns its stopper."""
    stopping = asyncio.Event()
    owner = state.new_owner()

    async def loop() -> None:
        while not stopping.is_set():
            try:
                await run_due(owner)
            except Exception:
                log.exception("calendar sync round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), get_settings().calendar_sync_interval)

    task = asyncio.create_task(loop(), name="calendar-sync")

    async def stop() -> None:
        stopping.set()
        try:
            await asyncio.wait_for(task, timeout=DRIVER_TIMEOUT * 2)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return stop
