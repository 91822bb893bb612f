"""Who sees which appointments, calendars side by side, and sharing one's calendar.

Details of an appointment are visible to: its own employees; PARTNER, MANAGER and ADMIN
(Permission.SEE_ALL_CALENDARS); and colleagues with whom one of its employees shares their
calendar. Everyone else sees a colleague's appointment as a busy block only. A cancelled
appointment does not block time: it shows (busy false) only to those who see its details.
An appointment with a relation is also visible in full on that relation's card, to anyone
who may read relations: it is part of the client file.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from server.auth.permissions import Actor, Permission
from server.errors import Code, DomainError
from server.integrations.ical import as_utc
from server.models import Appointment, AppointmentEmployee, CalendarShare, Employee
from server.services.appointment_rows import APPOINTMENT_COLUMNS, CANCELLED

MAX_RANGE = timedelta(days=366)
MAX_EMPLOYEES = 100


@dataclass(frozen=True)
class Entry:
    employee_id: str
    start: datetime
    end: datetime
    busy: bool
    appointment: dict[str, Any] | None


def check_range(start: datetime, end: datetime, employees: int = 1) -> tuple[datetime, datetime]:
    """The window as UTC; refused when longer than a year or for too many people.

    An empty or reversed window is no error: nothing lies in it.
    """
    start, end = as_utc(start), as_utc(end)
    if end - start > MAX_RANGE:
        raise DomainError(Code.LIMIT, "Ask for at most 366 days at once.", ["to"])
    if employees > MAX_EMPLOYEES:
        raise DomainError(Code.LIMIT, f"At most {MAX_EMPLOYEES} employees.", ["employeeIds"])
    return start, end


def uuids(values: Iterable[Any]) -> list[str]:
    found = []
    for value in values:
        try:
            found.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return list(dict.fromkeys(found))


async def full_view_owners(actor: Actor, owner_ids: Sequence[str]) -> set[str]:
    """The employees among `owner_ids` whose appointments `actor` may see in full."""
    if actor.can(Permission.SEE_ALL_CALENDARS):
        return set(owner_ids)
    shared = await CalendarShare.filter(
        viewer_id=actor.id, owner_id__in=list(owner_ids)
    ).values_list("owner_id", flat=True)
    return {str(o) for o in shared} | ({actor.id} & set(owner_ids))


async def entries(
    actor: Actor, employee_ids: Sequence[str], start: datetime, end: datetime
) -> dict[str, list[Entry]]:
    """Each employee's calendar entries overlapping [start, end), in start order."""
    ids = uuids(employee_ids)
    links = await AppointmentEmployee.filter(
        employee_id__in=ids, appointment__start__lt=end, appointment__end__gt=start
    ).values("employee_id", "appointment_id")
    appointment_ids = list({str(link["appointment_id"]) for link in links})
    rows = {
        str(r["id"]): r
        for r in await Appointment.filter(id__in=appointment_ids).values(*APPOINTMENT_COLUMNS)
    }
    own = {
        str(a)
        for a in await AppointmentEmployee.filter(
            employee_id=actor.id, appointment_id__in=appointment_ids
        ).values_list("appointment_id", flat=True)
    }
    full = await full_view_owners(actor, ids)
    result: dict[str, list[Entry]] = defaultdict(list)
    for link in links:
        owner, row = str(link["employee_id"]), rows[str(link["appointment_id"])]
        visible = owner in full or str(row["id"]) in own
        cancelled = row["status"] == CANCELLED
        if cancelled and not visible:
            continue
        result[owner].append(
            Entry(owner, row["start"], row["end"], not cancelled, row if visible else None)
        )
    for found in result.values():
        found.sort(key=lambda e: (e.start, e.end, str(e.appointment and e.appointment["id"])))
    return result


async def may_see(actor: Actor, row: dict[str, Any]) -> bool:
    """Whether `actor` may read this appointment's details (see the module docstring)."""
    if row["relation_id"] is not None or actor.can(Permission.SEE_ALL_CALENDARS):
        return True
    employees = [
        str(e)
        for e in await AppointmentEmployee.filter(appointment_id=row["id"]).values_list(
            "employee_id", flat=True
        )
    ]
    return bool(await full_view_owners(actor, employees))


async def share_calendar(actor: Actor, viewer_id: str) -> dict[str, Any]:
    """Let `viewer_id` see the details of the actor's appointments; returns the viewer."""
    viewer = await _viewer(actor, viewer_id)
    async with in_transaction():
        if not await CalendarShare.filter(owner_id=actor.id, viewer_id=viewer["id"]).exists():
            await CalendarShare.create(owner_id=actor.id, viewer_id=viewer["id"])
    return viewer


async def unshare_calendar(actor: Actor, viewer_id: str) -> dict[str, Any]:
    """Stop sharing: the viewer sees the actor's appointments as busy blocks again."""
    viewer = await _viewer(actor, viewer_id)
    await CalendarShare.filter(owner_id=actor.id, viewer_id=viewer["id"]).delete()
    return viewer


async def _viewer(actor: Actor, viewer_id: str) -> dict[str, Any]:
    ids = uuids([viewer_id])
    rows = await Employee.filter(id__in=ids).values("id", "name", "email", "role", "active")
    if not rows:
        raise DomainError(Code.NOT_FOUND, "No employee with this id.", ["viewerId"])
    if str(rows[0]["id"]) == actor.id:
        raise DomainError(Code.INVALID, "You always see your own calendar.", ["viewerId"])
    return rows[0]
