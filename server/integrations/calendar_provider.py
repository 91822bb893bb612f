"""The small interface every calendar provider implements (one driver per provider).

The sync engine (server/integrations/calendar_sync.py) talks only to this Protocol, so a
Microsoft 365 driver (Graph delta queries on /me/calendarView/delta with
`Prefer: IdType="ImmutableId"`) can sit next to the CalDAV one; see docs/calendar.md.
Drivers are asynchronous to the engine and never touch the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class ProviderErrorCode(StrEnum):
    UNREACHABLE = "UNREACHABLE"
    AUTH_FAILED = "AUTH_FAILED"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    PRECONDITION_FAILED = "PRECONDITION_FAILED"
    NOT_FOUND = "NOT_FOUND"
    PROTOCOL = "PROTOCOL"


class ProviderError(Exception):
    """One failure of a provider call; `message` is safe to show (never holds credentials)."""

    def __init__(self, code: ProviderErrorCode, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RemoteRef:
    """A resource in the remote calendar: where it lives and its current version tag."""

    href: str
    etag: str | None


@dataclass(frozen=True)
class RemoteItem:
    href: str
    etag: str | None
    ical: str


@dataclass
class Delta:
    """What changed remotely since `token` (or everything, when `full`)."""

    changed: list[RemoteRef]
    deleted: set[str]
    token: str | None
    full: bool
    truncated: bool = False


class CalendarDriver(Protocol):
    """One calendar of one account. All calls may raise ProviderError."""

    @property
    def requests(self) -> int:
        """HTTP requests sent so far (for logs and the benchmark)."""
        ...

    def href_for(self, uid: str) -> str:
        """Where a new resource with this UID is created."""
        ...

    async def changes(self, token: str | None) -> Delta:
        """Changes since `token`; a full listing when None. TOKEN_EXPIRED if it is stale."""
        ...

    async def fetch(self, hrefs: Iterable[str]) -> list[RemoteItem]:
        """The resources at these hrefs; absent ones are left out."""
        ...

    async def create(self, href: str, ical: str) -> str | None:
        """Create only if nothing is there (If-None-Match: *); returns the new ETag."""
        ...

    async def update(self, href: str, etag: str, ical: str) -> str | None:
        """Replace only the version we know (If-Match); returns the new ETag."""
        ...

    async def delete(self, href: str, etag: str | None) -> None:
        """Delete only the version we know (If-Match); an absent resource counts as done."""
        ...

    async def close(self) -> None: ...
