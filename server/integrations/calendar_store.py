"""The database side of a sync: read the state, write results in short transactions.

No function here talks to the network. Pulled changes are written together with their
status rows in one transaction (a crash leaves either both or neither), so a re-run after
any failure finds the calendar's resources already linked and creates no duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from server.auth.permissions import Actor, Role
from server.integrations import ical
from server.integrations.calendar_plan import Action, Kind, Local, Remote, Status
from server.models import Appointment, AppointmentEmployee, CalendarSyncItem, Employee
from server.services import appointment_rows as rows
from server.services.unit import Unit, row_state, unit_of_work, utcnow

# Appointments further back than this are not pushed to a newly connected calendar.
PAST_WINDOW = timedelta(days=90)
CHUNK = 500


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for at in range(0, len(values), size):
        yield values[at : at + size]


async def actor_for(employee_id: str) -> Actor:
    """Calendar changes are written on behalf of the calendar's employee."""
    employee = await Employee.get(id=employee_id)
    return Actor(id=str(employee.id), role=Role(employee.role), name=employee.name)


async def statuses(connection_id: str) -> dict[str, Status]:
    found = await CalendarSyncItem.filter(connection_id=connection_id).values(
        "uid", "href", "etag", "local_hash", "remote_hash", "appointment_id"
    )
    return {
        r["uid"]: Status(
            uid=r["uid"],
            href=r["href"],
            etag=r["etag"],
            local_hash=r["local_hash"],
            remote_hash=r["remote_hash"],
            appointment_id=str(r["appointment_id"]) if r["appointment_id"] else None,
        )
        for r in found
    }


async def locals_for(
    employee_id: str, linked_ids: set[str], foreign_uids: set[str]
) -> dict[str, Local]:
    """The employee's appointments the calendar should hold, by UID.

    Those still ahead (or less than PAST_WINDOW ago) plus every one already synchronised;
    `foreign_uids` (new UIDs seen in the calendar) are looked up too, with participant
    False when the employee is not on that appointment.
    """
    mine = {
        str(i)
        for i in await AppointmentEmployee.filter(employee_id=employee_id).values_list(
            "appointment_id", flat=True
        )
    }
    cutoff = utcnow() - PAST_WINDOW
    found: list[dict[str, Any]] = []
    for part in _chunks(sorted(mine)):
        found += await Appointment.filter(id__in=list(part), end__gte=cutoff).values(
            *rows.APPOINTMENT_COLUMNS
        )
    old = sorted((linked_ids & mine) - {str(r["id"]) for r in found})
    for part in _chunks(old):
        found += await Appointment.filter(id__in=list(part)).values(*rows.APPOINTMENT_COLUMNS)
    for part in _chunks(sorted(foreign_uids)):
        found += await Appointment.filter(uid__in=list(part)).values(*rows.APPOINTMENT_COLUMNS)
    result: dict[str, Local] = {}
    for row in found:
        event = ical.event_from_row(row)
        result[row["uid"]] = Local(
            str(row["id"]), event, ical.fingerprint(event), str(row["id"]) in mine
        )
    return result


# ---------------------------------------------------------------- writes after a pull


async def apply_pulls(connection_id: str, actor: Actor, actions: Sequence[Action]) -> None:
    """Write pulled changes and their status rows, a chunk per transaction."""
    for part in _chunks(actions, 50):
        async with unit_of_work(actor) as unit:
            for action in part:
                await apply_pull(unit, connection_id, actor.id, action)


async def apply_pull(unit: Unit, connection_id: str, employee_id: str, action: Action) -> None:
    if action.kind is Kind.PULL_DELETE:
        await _remote_deleted(unit, connection_id, employee_id, action)
    elif action.kind is Kind.PULL:
        await _take_remote(unit, connection_id, employee_id, action)
    elif action.kind is Kind.RECORD:
        local, remote = action.local, action.remote
        assert remote is not None
        if local is not None and not local.participant:
            appointment = await Appointment.get(id=local.appointment_id)
            await rows.add_employee(unit, appointment, employee_id)
        await upsert_status(
            connection_id,
            action.uid,
            remote,
            local.appointment_id if local else _linked(action),
            local.hash if local else (action.status.local_hash if action.status else None),
        )
    elif action.kind is Kind.IGNORE:
        assert action.remote is not None
        await upsert_status(connection_id, action.uid, action.remote, None, None)


def _linked(action: Action) -> str | None:
    return action.status.appointment_id if action.status else None


async def _take_remote(unit: Unit, connection_id: str, employee_id: str, action: Action) -> None:
    remote = action.remote
    assert remote is not None and remote.event is not None
    event = remote.event
    appointment_id = _linked(action) or (action.local.appointment_id if action.local else None)
    appointment = await _appointment(appointment_id, event.uid)
    fields: dict[str, Any] = {
        "title": event.title,
        "description": event.description,
        "location": event.location,
        "start": event.start,
        "end": event.end,
        "all_day": event.all_day,
        "recurrence_ical": event.recurrence_ical,
        "status": rows.CANCELLED if event.cancelled else rows.PLANNED,
    }
    if appointment is None:
        fields["sequence"] = event.sequence
        appointment = await rows.insert(unit, {**fields, "uid": event.uid}, [employee_id])
    else:
        await rows.update(unit, appointment, fields, note=action.note)
        await rows.add_employee(unit, appointment, employee_id)
    row = await rows.row_of(appointment.id)
    assert row is not None
    local_hash = ical.fingerprint(ical.event_from_row(row))
    await upsert_status(connection_id, action.uid, remote, str(appointment.id), local_hash)


async def _appointment(appointment_id: str | None, uid: str) -> Appointment | None:
    if appointment_id:
        found = await Appointment.get_or_none(id=appointment_id)
        if found is not None:
            return found
    return await Appointment.get_or_none(uid=uid)


async def _remote_deleted(unit: Unit, connection_id: str, employee_id: str, action: Action) -> None:
    """Deleted in the calendar: take the employee off; the last one out cancels it."""
    appointment_id = _linked(action)
    appointment = await Appointment.get_or_none(id=appointment_id) if appointment_id else None
    if appointment is not None and appointment.status != rows.CANCELLED:
        others = [e for e in await rows.employee_ids_of(appointment.id) if e != employee_id]
        if others:
            await rows.remove_employee(unit, appointment, employee_id)
        else:
            await rows.update(unit, appointment, {"status": rows.CANCELLED}, note=action.note)
    await forget(connection_id, action.uid)


# ---------------------------------------------------------------- status rows


async def upsert_status(
    connection_id: str,
    uid: str,
    remote: Remote,
    appointment_id: str | None,
    local_hash: str | None,
) -> None:
    values: dict[str, Any] = {
        "href": remote.href,
        "etag": remote.etag,
        "appointment_id": appointment_id,
        "local_hash": local_hash,
        "remote_hash": remote.hash,
    }
    updated = await CalendarSyncItem.filter(connection_id=connection_id, uid=uid).update(**values)
    if not updated:
        await CalendarSyncItem.create(connection_id=connection_id, uid=uid, **values)


async def forget(connection_id: str, uid: str) -> None:
    await CalendarSyncItem.filter(connection_id=connection_id, uid=uid).delete()


async def record_pushed(
    connection_id: str, actor: Actor, action: Action, href: str, etag: str | None
) -> None:
    """After a successful PUT: the status row, and the conflict note when the CRM won."""
    local = action.local
    assert local is not None
    async with unit_of_work(actor) as unit:
        appointment = await Appointment.get(id=local.appointment_id)
        if not local.participant:
            await rows.add_employee(unit, appointment, actor.id)
        if action.note:
            rows.record_change(unit, appointment, row_state(appointment), action.note)
        remote = Remote(href, etag, local.event, local.hash)
        await upsert_status(connection_id, action.uid, remote, local.appointment_id, local.hash)


async def record_deleted(connection_id: str, actor: Actor, action: Action) -> None:
    async with unit_of_work(actor) as unit:
        if action.note and action.local is not None:
            appointment = await Appointment.get(id=action.local.appointment_id)
            rows.record_change(unit, appointment, row_state(appointment), action.note)
        await forget(connection_id, action.uid)
