"""Appointments: create, update and cancel, validated before anything is written.

Times are time-zone aware and stored in UTC. A time without an offset is read as office
time (Europe/Amsterdam), the zone the cockpit works in. An all-day appointment spans whole
office days (end exclusive). Refused: an end before the start, unknown or inactive
employees, a relation that does not exist, contacts that are not the relation's.

Who may change an appointment: its own employees, and roles that see every calendar
(PARTNER, MANAGER, ADMIN). Anyone with WRITE_APPOINTMENTS may plan one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from server.auth.permissions import Actor, Permission
from server.errors import Code, DomainError, ErrorCollector
from server.integrations.ical import as_utc
from server.models import Appointment, ContactPerson, Employee, Relation
from server.services import appointment_rows as rows
from server.services.unit import unit_of_work

MAX_PEOPLE = 50
DESCRIPTION_MAX = 10_000


@dataclass(frozen=True)
class Clean:
    fields: dict[str, Any]
    employee_ids: list[str]
    contact_ids: list[str] | None


def _uuid(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError):
        return None


async def create_appointment(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """Plan an appointment from AppointmentInput data; returns the new row."""
    clean = await _validate(data, current=None)
    async with unit_of_work(actor) as unit:
        fields = {**clean.fields, "uid": rows.new_uid(), "status": rows.PLANNED}
        appointment = await rows.insert(unit, fields, clean.employee_ids, clean.contact_ids or [])
    return await _row(appointment.id)


async def update_appointment(
    actor: Actor, appointment_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Replace the appointment's fields; omitted optional fields keep their value.

    When the relation changes and `contactIds` is omitted, the contacts are cleared (they
    belonged to the other relation).
    """
    current = await _modifiable(actor, appointment_id)
    if current.status == rows.CANCELLED:
        raise DomainError(Code.CONFLICT, "A cancelled appointment cannot be changed.", ["id"])
    clean = await _validate(data, current=current)
    async with unit_of_work(actor) as unit:
        appointment = await Appointment.select_for_update().get(id=current.id)
        await rows.update(unit, appointment, clean.fields)
        await rows.set_links(unit, appointment, clean.employee_ids, clean.contact_ids)
    return await _row(current.id)


async def cancel_appointment(actor: Actor, appointment_id: str) -> dict[str, Any]:
    """Cancel (never delete): the appointment stays in history and stops blocking time."""
    current = await _modifiable(actor, appointment_id)
    async with unit_of_work(actor) as unit:
        appointment = await Appointment.select_for_update().get(id=current.id)
        await rows.update(unit, appointment, {"status": rows.CANCELLED})
    return await _row(current.id)


async def _row(appointment_id: Any) -> dict[str, Any]:
    row = await rows.row_of(appointment_id)
    assert row is not None
    return row


async def _modifiable(actor: Actor, appointment_id: str) -> Appointment:
    key = _uuid(appointment_id)
    appointment = await Appointment.get_or_none(id=key) if key else None
    if appointment is None:
        raise DomainError(Code.NOT_FOUND, "No appointment with this id.", ["id"])
    if not actor.can(Permission.SEE_ALL_CALENDARS) and actor.id not in await rows.employee_ids_of(
        appointment.id
    ):
        raise DomainError(
            Code.FORBIDDEN, "Only its employees and seniors may change this appointment.", ["id"]
        )
    return appointment


async def _validate(data: dict[str, Any], current: Appointment | None) -> Clean:
    errors = ErrorCollector()
    fields = _texts(data, current, errors)
    start, end = as_utc(data["start"]), as_utc(data["end"])
    if end < start:
        errors.add(DomainError(Code.INVALID, "The end lies before the start.", ["input", "end"]))
    all_day = bool(data.get("allDay") or False)
    fields["start"], fields["end"] = rows.normalise_times(start, end, all_day)
    fields["all_day"] = all_day
    employee_ids = await _employees(data.get("employeeIds") or [], errors)
    relation_id = await _relation(data, current, errors)
    fields["relation_id"] = relation_id
    contact_ids = await _contacts(data, current, relation_id, errors)
    errors.raise_if_any()
    return Clean(fields, employee_ids, contact_ids)


def _texts(
    data: dict[str, Any], current: Appointment | None, errors: ErrorCollector
) -> dict[str, Any]:
    title = (data.get("title") or "").strip()
    if not title:
        errors.add(DomainError(Code.REQUIRED, "A title is required.", ["input", "title"]))
    elif len(title) > 300:
        errors.add(DomainError(Code.INVALID, "At most 300 characters.", ["input", "title"]))
    fields: dict[str, Any] = {"title": title}
    for key, column, limit in (
        ("description", "description", DESCRIPTION_MAX),
        ("location", "location", 300),
    ):
        if key not in data:
            fields[column] = getattr(current, column) if current else None
            continue
        value = (data[key] or "").strip() or None
        if value and len(value) > limit:
            errors.add(DomainError(Code.INVALID, f"At most {limit} characters.", ["input", key]))
        fields[column] = value
    return fields


async def _employees(raw: Sequence[Any], errors: ErrorCollector) -> list[str]:
    if not raw:
        message = "At least one employee takes part."
        errors.add(DomainError(Code.REQUIRED, message, ["input", "employeeIds"]))
        return []
    if len(raw) > MAX_PEOPLE:
        errors.add(DomainError(Code.LIMIT, f"At most {MAX_PEOPLE}.", ["input", "employeeIds"]))
        return []
    ids = [_uuid(v) for v in raw]
    found = {
        str(r["id"]): r["active"]
        for r in await Employee.filter(id__in=[i for i in ids if i]).values("id", "active")
    }
    for index, key in enumerate(ids):
        path = ["input", "employeeIds", str(index)]
        if key is None or key not in found:
            errors.add(DomainError(Code.NOT_FOUND, "No employee with this id.", path))
        elif not found[key]:
            errors.add(DomainError(Code.INVALID, "This employee is no longer active.", path))
    return [i for i in dict.fromkeys(ids) if i]


async def _relation(
    data: dict[str, Any], current: Appointment | None, errors: ErrorCollector
) -> str | None:
    if "relationId" not in data:
        return str(rows.relation_of(current)) if current and rows.relation_of(current) else None
    if data["relationId"] is None:
        return None
    key = _uuid(data["relationId"])
    if key is None or not await Relation.filter(id=key).exists():
        message = "No relation with this id."
        errors.add(DomainError(Code.NOT_FOUND, message, ["input", "relationId"]))
        return None
    return key


async def _contacts(
    data: dict[str, Any],
    current: Appointment | None,
    relation_id: str | None,
    errors: ErrorCollector,
) -> list[str] | None:
    if "contactIds" not in data or data["contactIds"] is None:
        if current is None:
            return []
        same_relation = str(rows.relation_of(current) or "") == str(relation_id or "")
        return None if same_relation else []
    raw = data["contactIds"]
    if len(raw) > MAX_PEOPLE:
        errors.add(DomainError(Code.LIMIT, f"At most {MAX_PEOPLE}.", ["input", "contactIds"]))
        return []
    ids = [_uuid(v) for v in raw]
    owners = {
        str(r["id"]): str(r["relation_id"])
        for r in await ContactPerson.filter(id__in=[i for i in ids if i]).values(
            "id", "relation_id"
        )
    }
    for index, key in enumerate(ids):
        path = ["input", "contactIds", str(index)]
        if key is None or key not in owners:
            errors.add(DomainError(Code.NOT_FOUND, "No contact person with this id.", path))
        elif owners[key] != relation_id:
            errors.add(
                DomainError(Code.INVALID, "This contact person is not of the relation.", path)
            )
    return [i for i in dict.fromkeys(ids) if i]
