"""The CalDAV driver: one calendar collection, through the `caldav` library.

caldav's client is synchronous (niquests underneath), so every call runs in a worker thread
(`asyncio.to_thread`) with the HTTP timeout set on the client and an overall deadline on the
call. Reads use RFC 6578 sync-collection and calendar-multiget; writes are plain PUT/DELETE
with `If-None-Match: *` or `If-Match: <etag>`, so the server refuses a write that would
overwrite a version this driver has not seen (HTTP 412).

Hrefs are handed to the engine as unquoted paths: servers spell `@` as `%40` in one
report and as `@` in the next, and the status table must see one name per resource.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote, unquote

import niquests
from caldav.davclient import DAVClient
from caldav.elements import dav
from caldav.lib import error as caldav_error
from caldav.lib.url import URL

from server.integrations.calendar_provider import (
    Delta,
    ProviderError,
    ProviderErrorCode,
    RemoteItem,
    RemoteRef,
)

log = logging.getLogger("relatiebeheer.calendar")
T = TypeVar("T")
ICS_HEADERS = {"Content-Type": "text/calendar; charset=utf-8"}
MULTIGET_CHUNK = 100
SAFE_NAME = re.compile(r"[A-Za-z0-9@._-]{1,200}")
# Called as observer(method, url, status) after every HTTP response (benchmark, tests).
RESPONSE_OBSERVERS: list[Callable[[str, str, int], None]] = []


def _provider_error(what: str, exc: caldav_error.DAVError) -> ProviderError:
    if dav.ValidSyncToken.tag in exc.preconditions:
        return ProviderError(ProviderErrorCode.TOKEN_EXPIRED, f"{what}: stale sync token")
    if isinstance(exc, caldav_error.AuthorizationError):
        return ProviderError(
            ProviderErrorCode.AUTH_FAILED, f"{what}: access refused ({exc.status or 401})"
        )
    if isinstance(exc, caldav_error.RateLimitError):
        return ProviderError(ProviderErrorCode.UNREACHABLE, f"{what}: server busy")
    if isinstance(exc, caldav_error.NotFoundError):
        return ProviderError(ProviderErrorCode.NOT_FOUND, f"{what}: not found")
    status = exc.status or "an error"
    return ProviderError(ProviderErrorCode.PROTOCOL, f"{what}: server answered {status}")


class CalDavDriver:
    """CalendarDriver for one CalDAV calendar collection URL."""

    def __init__(
        self, url: str, username: str | None, password: str | None, timeout: float = 15.0
    ) -> None:
        self.timeout = timeout
        self._requests = 0
        self._client = DAVClient(
            url=url, username=username, password=password, timeout=int(timeout)
        )
        hooks: Any = self._client.session.hooks
        hooks.setdefault("response", []).append(self._observe)
        self._calendar = self._client.calendar(url=url)
        self._base = self._key(self._calendar.url)
        if not self._base.endswith("/"):
            self._base += "/"

    @property
    def requests(self) -> int:
        return self._requests

    def _observe(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        self._requests += 1
        try:
            for observer in list(RESPONSE_OBSERVERS):
                observer(response.request.method, str(response.request.url), response.status_code)
        except BaseException:
            response.close()  # an observer that fails must not leak the connection
            raise
        return response

    @staticmethod
    def _key(url: Any) -> str:
        return unquote(URL.objectify(str(url)).path)

    def _url(self, href: str) -> str:
        return str(self._calendar.url.join(quote(href, safe="/")))

    def href_for(self, uid: str) -> str:
        name = uid if SAFE_NAME.fullmatch(uid) else hashlib.sha256(uid.encode()).hexdigest()
        return f"{self._base}{name}.ics"

    async def _call(self, what: str, fn: Callable[[], T]) -> T:
        try:
            return await asyncio.wait_for(asyncio.to_thread(fn), timeout=self.timeout * 4)
        except ProviderError:
            raise
        except TimeoutError:
            raise ProviderError(ProviderErrorCode.UNREACHABLE, f"{what}: timed out") from None
        except caldav_error.DAVError as exc:
            raise _provider_error(what, exc) from None
        except (niquests.exceptions.RequestException, OSError) as exc:
            raise ProviderError(
                ProviderErrorCode.UNREACHABLE, f"{what}: server unreachable ({type(exc).__name__})"
            ) from None

    # ------------------------------------------------------------------ reads

    async def changes(self, token: str | None) -> Delta:
        return await self._call("sync-collection", lambda: self._changes(token))

    def _changes(self, token: str | None) -> Delta:
        try:
            collection = self._calendar.get_objects_by_sync_token(
                sync_token=token, load_objects=False, disable_fallback=True
            )
        except caldav_error.ReportError:
            if token is not None and not str(token).startswith("fake-"):
                raise
            # No RFC 6578 on this server: caldav lists everything and fakes a token.
            collection = self._calendar.get_objects_by_sync_token(
                sync_token=token, load_objects=False
            )
        deleted = {self._key(url) for url in collection.deleted_urls}
        changed = [
            RemoteRef(self._key(obj.url), obj.props.get(dav.GetEtag.tag))
            for obj in collection
            if self._key(obj.url) not in deleted and self._key(obj.url) != self._base
        ]
        new_token = collection.sync_token
        full = token is None or str(new_token or "").startswith("fake-")
        return Delta(changed, deleted, new_token, full, bool(collection.truncated))

    async def fetch(self, hrefs: Iterable[str]) -> list[RemoteItem]:
        wanted = list(dict.fromkeys(hrefs))
        items: list[RemoteItem] = []
        for at in range(0, len(wanted), MULTIGET_CHUNK):
            chunk = wanted[at : at + MULTIGET_CHUNK]
            items.extend(await self._call("calendar-multiget", partial(self._fetch, chunk)))
        return items

    def _fetch(self, hrefs: list[str]) -> list[RemoteItem]:
        objects = self._calendar.multiget([URL.objectify(self._url(h)) for h in hrefs])
        return [
            RemoteItem(self._key(obj.url), obj.props.get(dav.GetEtag.tag), str(obj.data))
            for obj in objects
            if obj.data
        ]

    # ------------------------------------------------------------------ writes

    async def create(self, href: str, ical: str) -> str | None:
        return await self._call(
            "PUT", lambda: self._put(href, ical, {"If-None-Match": "*", **ICS_HEADERS})
        )

    async def update(self, href: str, etag: str, ical: str) -> str | None:
        return await self._call(
            "PUT", lambda: self._put(href, ical, {"If-Match": etag, **ICS_HEADERS})
        )

    def _put(self, href: str, ical: str, headers: dict[str, str]) -> str | None:
        response = self._client.put(self._url(href), ical, headers)
        if response.status == 412:
            raise ProviderError(ProviderErrorCode.PRECONDITION_FAILED, "PUT: version changed")
        if response.status == 404:
            raise ProviderError(ProviderErrorCode.NOT_FOUND, "PUT: not found")
        if response.status not in (200, 201, 204):
            raise ProviderError(
                ProviderErrorCode.PROTOCOL, f"PUT: server answered {response.status}"
            )
        etag = (response.headers or {}).get("ETag")
        return str(etag) if etag and not str(etag).startswith("W/") else None

    async def delete(self, href: str, etag: str | None) -> None:
        await self._call("DELETE", lambda: self._delete(href, etag))

    def _delete(self, href: str, etag: str | None) -> None:
        headers = {"If-Match": etag} if etag else {}
        response = self._client.delete(self._url(href), headers)
        if response.status == 412:
            raise ProviderError(ProviderErrorCode.PRECONDITION_FAILED, "DELETE: version changed")
        if response.status not in (200, 204, 404):
            raise ProviderError(
                ProviderErrorCode.PROTOCOL, f"DELETE: server answered {response.status}"
            )

    async def close(self) -> None:
        await asyncio.to_thread(self._client.close)
