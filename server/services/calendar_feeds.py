"""Secret ICS feed URLs: one per employee, shown once, revocable; only a hash is stored.

The token (`secrets.token_urlsafe(32)`, 256 bits) is the only credential of the feed, as
calendar clients (Outlook, Google, Apple) cannot send a bearer token. Its SHA-256 is kept
in Employee.ics_token_hash; a new feed replaces the old one, revoking it.
"""

from __future__ import annotations

import hashlib
import secrets

from server.auth.permissions import Actor, Permission
from server.errors import Code, DomainError
from server.models import Employee
from server.services.calendars import uuids
from server.settings import get_settings

FEED_PATH = "/calendar/{token}.ics"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    """The public URL of a feed, under the configured issuer (the server's public base)."""
    return get_settings().issuer.rstrip("/") + FEED_PATH.format(token=token)


async def _target(actor: Actor, employee_id: str | None) -> str:
    target = uuids([employee_id])[0] if employee_id and uuids([employee_id]) else None
    if employee_id is not None and target is None:
        raise DomainError(Code.NOT_FOUND, "No employee with this id.", ["employeeId"])
    target = target or actor.id
    if target != actor.id and not actor.can(Permission.MANAGE_ANY_CALENDAR):
        raise DomainError(Code.FORBIDDEN, "Only your own calendar feed.", ["employeeId"])
    if not await Employee.filter(id=target).exists():
        raise DomainError(Code.NOT_FOUND, "No employee with this id.", ["employeeId"])
    return target


async def create_feed(actor: Actor, employee_id: str | None = None) -> str:
    """A new secret feed URL for the employee (default: the actor); the old one stops working."""
    target = await _target(actor, employee_id)
    token = secrets.token_urlsafe(32)
    await Employee.filter(id=target).update(ics_token_hash=token_hash(token))
    return feed_url(token)


async def revoke_feed(actor: Actor, employee_id: str | None = None) -> None:
    """The employee's feed URL stops working at once."""
    target = await _target(actor, employee_id)
    await Employee.filter(id=target).update(ics_token_hash=None)


async def employee_of_token(token: str) -> str | None:
    """The active employee whose feed this token opens, or None."""
    if not token or len(token) > 100:
        return None
    found = await Employee.filter(ics_token_hash=token_hash(token), active=True).values_list(
        "id", flat=True
    )
    return str(found[0]) if found else None
