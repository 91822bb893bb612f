"""Row-level writes of appointments, shared by the API services and the calendar sync.

Every function runs inside a caller's `unit_of_work` and records each created, changed or
deleted row (appointment, appointment_employee, appointment_contact) in that unit, so the
API and the sync leave the same history. Appointments are not relation master data: they
produce versions, no webhook events.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from server.integrations.ical import as_utc, day_start, local_day
from server.models import Appointment, AppointmentContact, AppointmentEmployee
from server.services.unit import Unit, row_state

# Spelled out: a model's projection lacks its foreign keys until Tortoise is initialised.
APPOINTMENT_COLUMNS = (
    "id", "uid", "title", "description", "location", "start", "end", "all_day", "status",
    "relation_id", "recurrence_ical", "sequence", "created_at", "updated_at",
)  # fmt: skip
PLANNED = "PLANNED"
CANCELLED = "CANCELLED"
CONFLICT_FIELD = "sync_conflict"


def relation_of(appointment: Appointment) -> Any:
    return appointment.relation_id  # type: ignore[attr-defined]


def new_uid() -> str:
    """A stable, globally unique iCalendar UID for an appointment made in the CRM."""
    return f"{uuid.uuid4()}@relatiebeheer"


def normalise_times(start: datetime, end: datetime, all_day: bool) -> tuple[datetime, datetime]:
    """UTC instants; an all-day appointment spans whole office days, end exclusive."""
    start, end = as_utc(start), as_utc(end)
    if not all_day:
        return start, end
    first, last = local_day(start), local_day(end)
    if end > day_start(last):
        last += timedelta(days=1)
    if last <= first:
        last = first + timedelta(days=1)
    return day_start(first), day_start(last)


async def insert(
    unit: Unit,
    fields: Mapping[str, Any],
    employee_ids: Iterable[str],
    contact_ids: Iterable[str] = (),
) -> Appointment:
    """Create an appointment with its employees and contacts, all recorded."""
    appointment = await Appointment.create(
        id=uuid.uuid4(), created_at=unit.now, updated_at=unit.now, **fields
    )
    unit.record(
        "appointment",
        appointment.id,
        None,
        row_state(appointment),
        relation_id=relation_of(appointment),
    )
    await set_links(unit, appointment, employee_ids, contact_ids)
    return appointment


async def update(
    unit: Unit, appointment: Appointment, fields: Mapping[str, Any], note: str | None = None
) -> dict[str, list]:
    """Apply `fields`, bump updated_at/sequence when anything changed; `note` marks a conflict."""
    before = row_state(appointment)
    changed = {k: v for k, v in fields.items() if getattr(appointment, k) != v}
    if not changed and note is None:
        return {}
    for name, value in changed.items():
        setattr(appointment, name, value)
    if changed:
        appointment.updated_at = unit.now
        appointment.sequence += 1
        await appointment.save()
    return record_change(unit, appointment, before, note)


def record_change(
    unit: Unit, appointment: Appointment, before: dict[str, Any], note: str | None = None
) -> dict[str, list]:
    """Record the appointment's change; a sync conflict shows as `sync_conflict` in changes."""
    after = row_state(appointment)
    if note is None:
        return unit.record(
            "appointment", appointment.id, before, after, relation_id=relation_of(appointment)
        )
    changes = unit.record(
        "appointment",
        appointment.id,
        {**before, CONFLICT_FIELD: None},
        {**after, CONFLICT_FIELD: note},
        relation_id=relation_of(appointment),
    )
    # The note belongs in the diff only; asOf reads the state, which stays a clean row.
    state = unit.versions[-1].state
    if isinstance(state, dict):
        state.pop(CONFLICT_FIELD, None)
    return changes


async def set_links(
    unit: Unit,
    appointment: Appointment,
    employee_ids: Iterable[str] | None,
    contact_ids: Iterable[str] | None,
) -> None:
    """Make the appointment's employees/contacts exactly these (None leaves a side alone)."""
    if employee_ids is not None:
        await _sync_links(unit, appointment, AppointmentEmployee, "employee", employee_ids)
    if contact_ids is not None:
        await _sync_links(unit, appointment, AppointmentContact, "contact", contact_ids)


async def _sync_links(
    unit: Unit, appointment: Appointment, model: Any, side: str, wanted_ids: Iterable[str]
) -> None:
    entity = f"appointment_{side}"
    wanted = [str(i) for i in dict.fromkeys(str(i) for i in wanted_ids)]
    existing = await model.filter(appointment_id=appointment.id)
    have = {str(getattr(row, f"{side}_id")): row for row in existing}
    for key, row in have.items():
        if key not in wanted:
            state = row_state(row)
            await row.delete()
            unit.record(entity, row.id, state, None, relation_id=relation_of(appointment))
    for key in wanted:
        if key not in have:
            row = await model.create(appointment_id=appointment.id, **{f"{side}_id": key})
            unit.record(entity, row.id, None, row_state(row), relation_id=relation_of(appointment))


async def employee_ids_of(appointment_id: Any) -> list[str]:
    rows = await AppointmentEmployee.filter(appointment_id=appointment_id).values_list(
        "employee_id", flat=True
    )
    return [str(r) for r in rows]


async def contact_ids_of(appointment_id: Any) -> list[str]:
    rows = await AppointmentContact.filter(appointment_id=appointment_id).values_list(
        "contact_id", flat=True
    )
    return [str(r) for r in rows]


async def add_employee(unit: Unit, appointment: Appointment, employee_id: str) -> None:
    current = await employee_ids_of(appointment.id)
    if employee_id not in current:
        await set_links(unit, appointment, [*current, employee_id], None)


async def remove_employee(unit: Unit, appointment: Appointment, employee_id: str) -> None:
    current = await employee_ids_of(appointment.id)
    if employee_id in current:
        await set_links(unit, appointment, [e for e in current if e != employee_id], None)


async def row_of(appointment_id: Any) -> dict[str, Any] | None:
    rows = await Appointment.filter(id=appointment_id).values(*APPOINTMENT_COLUMNS)
    return rows[0] if rows else None
