"""The three-way decision per UID (after vdirsyncer): status row vs. CRM vs. calendar.

Pure: no database, no network. Each side's content hash is compared with the hash stored
in the status row at the last sync, so "changed" means changed since then, on that side.

The conflict rule (docs/calendar.md), applied when both sides changed the same event:
1. The side changed most recently wins: the calendar's LAST-MODIFIED (else DTSTAMP) against
   the appointment's updated_at. A tie, or an event without either stamp, goes to the CRM.
   A cancellation in the CRM is a change at its updated_at.
2. A change beats a deletion: deleted in the calendar but changed in the CRM, the event is
   written back; changed in the calendar but removed for this employee in the CRM, the
   employee is put back on the appointment.
Every conflict is recorded in history (`sync_conflict` in the version's changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from server.integrations.ical import EventData


class Kind(StrEnum):
    PULL = "pull"  # write the calendar's version into the CRM
    PULL_DELETE = "pull_delete"  # deleted in the calendar: cancel / take the employee off
    PUSH_CREATE = "push_create"
    PUSH_UPDATE = "push_update"
    PUSH_DELETE = "push_delete"
    RECORD = "record"  # both sides agree: only the status row changes
    IGNORE = "ignore"  # not an event we carry (a task, a cancelled stranger): remember it


PULL_KINDS = frozenset({Kind.PULL, Kind.PULL_DELETE, Kind.RECORD, Kind.IGNORE})


@dataclass(frozen=True)
class Status:
    uid: str
    href: str | None
    etag: str | None
    local_hash: str | None
    remote_hash: str | None
    appointment_id: str | None

    @property
    def linked(self) -> bool:
        return self.appointment_id is not None


@dataclass(frozen=True)
class Local:
    appointment_id: str
    event: EventData
    hash: str
    participant: bool


@dataclass(frozen=True)
class Remote:
    href: str
    etag: str | None
    event: EventData | None
    hash: str | None


@dataclass(frozen=True)
class Action:
    kind: Kind
    uid: str
    status: Status | None
    local: Local | None
    remote: Remote | None
    note: str | None = None

    @property
    def href(self) -> str | None:
        if self.remote is not None:
            return self.remote.href
        return self.status.href if self.status else None

    @property
    def etag(self) -> str | None:
        if self.remote is not None:
            return self.remote.etag
        return self.status.etag if self.status else None


class _Act(Protocol):
    """Builds the Action for the UID being decided."""

    def __call__(self, kind: Kind, note: str | None = None) -> Action: ...


def remote_is_newer(remote: EventData, local: EventData) -> bool:
    """Rule 1: the calendar wins only when its stamp is strictly later than the CRM's."""
    if remote.last_modified is None or local.last_modified is None:
        return remote.last_modified is not None and local.last_modified is None
    return remote.last_modified > local.last_modified


def plan(
    statuses: dict[str, Status],
    locals_: dict[str, Local],
    remotes: dict[str, Remote],
    deleted: set[str],
) -> list[Action]:
    """Every action one sync takes, pulls before pushes, in a stable order."""
    actions = []
    for uid in sorted(set(statuses) | set(locals_) | set(remotes) | deleted):
        action = decide(uid, statuses.get(uid), locals_.get(uid), remotes.get(uid), uid in deleted)
        if action is not None:
            actions.append(action)
    return actions


def decide(
    uid: str, st: Status | None, loc: Local | None, rem: Remote | None, deleted: bool
) -> Action | None:
    def act(kind: Kind, note: str | None = None) -> Action:
        return Action(kind, uid, st, loc, rem, note)

    if rem is not None and rem.event is None:
        return act(Kind.IGNORE) if st is None or st.etag != rem.etag else None
    if rem is None and deleted:
        return _deleted_remotely(st, loc, act)
    if st is None or not st.linked:
        return _never_synced(st, loc, rem, act)
    local_changed = loc is not None and loc.hash != st.local_hash
    remote_changed = rem is not None and rem.hash != st.remote_hash
    if loc is None:
        if remote_changed:
            return act(Kind.PULL, "removed in the CRM, changed in the calendar: the change wins")
        return act(Kind.PUSH_DELETE)
    if local_changed and remote_changed:
        assert rem is not None
        return act(Kind.RECORD) if rem.hash == loc.hash else _conflict(loc, rem, act)
    if remote_changed:
        return act(Kind.PULL)
    if local_changed:
        return act(Kind.PUSH_DELETE if loc.event.cancelled else Kind.PUSH_UPDATE)
    if rem is not None and rem.etag != st.etag:
        return act(Kind.RECORD)
    return None


def _deleted_remotely(st: Status | None, loc: Local | None, act: _Act) -> Action | None:
    if st is None:
        return None
    changed = loc is not None and loc.participant and loc.hash != st.local_hash and st.linked
    if changed and loc is not None and not loc.event.cancelled:
        return act(Kind.PUSH_CREATE, "deleted in the calendar, changed in the CRM: the change wins")
    return act(Kind.PULL_DELETE)


def _never_synced(
    st: Status | None, loc: Local | None, rem: Remote | None, act: _Act
) -> Action | None:
    if rem is not None and rem.event is not None:
        if loc is not None:
            return act(Kind.RECORD) if rem.hash == loc.hash else _conflict(loc, rem, act)
        return act(Kind.IGNORE) if rem.event.cancelled else act(Kind.PULL)
    if loc is not None and loc.participant and not loc.event.cancelled and st is None:
        return act(Kind.PUSH_CREATE)
    return None


def _conflict(loc: Local, rem: Remote, act: _Act) -> Action:
    assert rem.event is not None
    if remote_is_newer(rem.event, loc.event):
        return act(Kind.PULL, f"both changed; the calendar's change is newer ({_stamp(rem.event)})")
    kind = Kind.PUSH_DELETE if loc.event.cancelled else Kind.PUSH_UPDATE
    return act(kind, f"both changed; the CRM's change wins ({_stamp(loc.event)})")


def _stamp(event: EventData) -> str:
    return event.last_modified.isoformat() if event.last_modified else "no timestamp"
