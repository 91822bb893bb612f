"""Pushing one CRM change to the calendar, and settling a 412 by the conflict rule.

Each push is one conditional request, then its status row in a short transaction. A 412
(or 404) means the calendar changed since we looked: refetch the resource and decide once
more by the written rule (calendar_plan); a second refusal waits for the next run.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from server.auth.permissions import Actor
from server.integrations import calendar_store as store
from server.integrations import ical
from server.integrations.calendar_plan import Action, Kind, Remote, Status, remote_is_newer
from server.integrations.calendar_provider import CalendarDriver, ProviderError, ProviderErrorCode

log = logging.getLogger("relatiebeheer.calendar")
REFUSED = frozenset({ProviderErrorCode.PRECONDITION_FAILED, ProviderErrorCode.NOT_FOUND})


def parse_remote(
    href: str, etag: str | None, text: str, by_href: dict[str, Status]
) -> tuple[Remote, str]:
    """A fetched resource and its UID; one without an event is keyed by its href."""
    try:
        event = ical.parse_resource(text)
    except ical.ICalError:
        event = None
    if event is None:
        uid = by_href[href].uid if href in by_href else f"href:{href}"
        return Remote(href, etag, None, None), uid
    return Remote(href, etag, event, ical.fingerprint(event)), event.uid


async def push(driver: CalendarDriver, connection_id: str, actor: Actor, action: Action) -> None:
    """Carry out one push action; ProviderErrors other than a refusal end the run."""
    href = action.href or driver.href_for(action.uid)
    try:
        if action.kind is Kind.PUSH_DELETE:
            await driver.delete(href, action.etag)
            await store.record_deleted(connection_id, actor, action)
            return
        etag = await _write(driver, action, href)
    except ProviderError as error:
        if error.code not in REFUSED:
            raise
    else:
        await store.record_pushed(connection_id, actor, action, href, etag)
        return
    try:
        await _after_conflict(driver, connection_id, actor, action, href)
    except ProviderError as error:
        if error.code not in REFUSED:
            raise
        log.info("calendar changed again while settling %s; left for the next run", action.uid)


async def _write(driver: CalendarDriver, action: Action, href: str) -> str | None:
    assert action.local is not None
    text = ical.render(action.local.event)
    if action.kind is Kind.PUSH_CREATE or action.etag is None:
        return await driver.create(href, text)
    return await driver.update(href, action.etag, text)


async def _after_conflict(
    driver: CalendarDriver, connection_id: str, actor: Actor, action: Action, href: str
) -> None:
    """A 412: the calendar changed since we looked. Refetch, then apply the rule once."""
    local = action.local
    found = await driver.fetch([href])
    if not found:
        if action.kind is Kind.PUSH_DELETE or local is None or local.event.cancelled:
            await store.record_deleted(connection_id, actor, action)
            return
        note = "deleted in the calendar during the sync, changed in the CRM: the change wins"
        retry = replace(action, kind=Kind.PUSH_CREATE, remote=None, note=note)
        etag = await driver.create(href, ical.render(local.event))
        await store.record_pushed(connection_id, actor, retry, href, etag)
        return
    remote, _ = parse_remote(found[0].href, found[0].etag, found[0].ical, {})
    if local is None or remote.event is None:
        return  # not ours to settle; the next run sees it as a plain change
    if remote.hash == local.hash:
        await store.record_pushed(
            connection_id, actor, replace(action, remote=remote), href, remote.etag
        )
        return
    if remote_is_newer(remote.event, local.event):
        note = "changed on both sides during the sync (412); the calendar's change is newer"
        pull = Action(Kind.PULL, action.uid, action.status, local, remote, note)
        await store.apply_pulls(connection_id, actor, [pull])
        return
    note = "changed on both sides during the sync (412); the CRM's change wins"
    retry = replace(action, remote=remote, note=note)
    if retry.kind is Kind.PUSH_DELETE:
        await driver.delete(href, remote.etag)
        await store.record_deleted(connection_id, actor, retry)
        return
    etag = await _write(driver, replace(retry, kind=Kind.PUSH_UPDATE), href)
    await store.record_pushed(connection_id, actor, retry, href, etag)
