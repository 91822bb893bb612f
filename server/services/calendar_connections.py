"""Connecting an employee's CalDAV calendar; the password is stored encrypted only.

Who: the employee themself, or a role with Permission.MANAGE_ANY_CALENDAR (ADMIN). The URL
is the calendar collection (e.g. https://cal.example.nl/dav/anna/werk/); plain http is
refused except to this machine, so a password never crosses a network in clear. Connecting
the same URL again replaces the credentials and restarts the backoff.
"""

from __future__ import annotations

import ipaddress
import uuid
from typing import Any
from urllib.parse import urlsplit

from server.auth import secretbox
from server.auth.permissions import Actor, Permission
from server.errors import Code, DomainError, ErrorCollector
from server.models import CalendarConnection, Employee
from server.services.calendars import uuids
from server.services.unit import row_state, unit_of_work

CONNECTION_COLUMNS = ("id", "employee_id", "provider", "url", "last_synced_at", "last_error")
URL_MAX = 1000


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """A calendar collection URL: https (http only to this machine), no credentials in it."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > URL_MAX or parts.scheme not in {"http", "https"} or not parts.hostname:
        raise DomainError(Code.INVALID_URL, "Give the calendar's http(s) URL.", ["url"])
    if parts.username or parts.password:
        raise DomainError(
            Code.INVALID_URL, "Give the username and password separately, not in the URL.", ["url"]
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise DomainError(
            Code.INVALID_URL, "Use https: the password must not travel in clear.", ["url"]
        )
    return url if url.endswith("/") else url + "/"


async def connect_calendar(
    actor: Actor, employee_id: str, url: str, username: str | None, password: str | None
) -> dict[str, Any]:
    """Create (or re-key) the employee's connection to this calendar; due for sync at once."""
    errors = ErrorCollector()
    target = await _employee(actor, employee_id)
    with errors.field("url"):
        url = check_url(url)
    if username is not None and len(username) > 200:
        errors.add(DomainError(Code.INVALID, "At most 200 characters.", ["username"]))
    errors.raise_if_any()
    secret = secretbox.encrypt(password) if password else None
    async with unit_of_work(actor) as unit:
        connection = await CalendarConnection.get_or_none(employee_id=target, url=url)
        before = row_state(connection) if connection else None
        values: dict[str, Any] = {
            "username": username or None,
            "password_encrypted": secret,
            "active": True,
            "last_error": None,
            "failure_count": 0,
            "next_sync_at": unit.now,
        }
        if connection is None:
            connection = await CalendarConnection.create(
                id=uuid.uuid4(), employee_id=target, url=url, created_at=unit.now, **values
            )
        else:
            await CalendarConnection.filter(id=connection.id).update(**values)
            await connection.refresh_from_db()
        unit.record("calendar_connection", connection.id, before, row_state(connection))
    return await connection_row(str(connection.id))


async def _employee(actor: Actor, employee_id: str) -> str:
    ids = uuids([employee_id])
    if not ids or not await Employee.filter(id=ids[0], active=True).exists():
        raise DomainError(Code.NOT_FOUND, "No active employee with this id.", ["employeeId"])
    if ids[0] != actor.id and not actor.can(Permission.MANAGE_ANY_CALENDAR):
        raise DomainError(Code.FORBIDDEN, "You may connect only your own calendar.", ["employeeId"])
    return ids[0]


async def syncable(actor: Actor, connection_id: str) -> str:
    """The connection's id, if the actor may run its sync (own, or MANAGE_ANY_CALENDAR)."""
    ids = uuids([connection_id])
    rows = await CalendarConnection.filter(id__in=ids).values("id", "employee_id")
    if not rows:
        raise DomainError(Code.NOT_FOUND, "No calendar connection with this id.", ["connectionId"])
    if str(rows[0]["employee_id"]) != actor.id and not actor.can(Permission.MANAGE_ANY_CALENDAR):
        raise DomainError(Code.FORBIDDEN, "You may sync only your own calendar.", ["connectionId"])
    return str(rows[0]["id"])


async def connection_row(connection_id: str) -> dict[str, Any]:
    rows = await CalendarConnection.filter(id=connection_id).values(*CONNECTION_COLUMNS)
    return rows[0]
