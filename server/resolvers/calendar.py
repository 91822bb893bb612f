"""Edges of appointments and calendars, each through a per-request DataLoader.

A relation card with thousands of appointments costs the same few statements as one with
ten: the appointments of every relation asked for in one query, their employee and contact
links in one query each, and those people through the shared by-id loaders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from server.auth.permissions import Actor
from server.errors import DomainError
from server.integrations.ical import as_utc
from server.models import Appointment, AppointmentContact, AppointmentEmployee
from server.resolvers import graph as graph_edges
from server.resolvers import register as register_edges
from server.resolvers.base import ApiError, Info, actor_of, prefetch
from server.services import calendars, history_rows
from server.services.appointment_rows import APPOINTMENT_COLUMNS

if TYPE_CHECKING:
    from server.schema.calendar import AppointmentNode, CalendarEntry
    from server.schema.relation import ContactPersonNode
    from server.schema.staff import EmployeeNode

Window = tuple[datetime | None, datetime | None, datetime | None]


def _ids(keys: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(str(k) for k in keys))


def _overlaps(row: dict[str, Any], start: datetime | None, end: datetime | None) -> bool:
    row_start, row_end = _instant(row["start"]), _instant(row["end"])
    return (start is None or row_end > start) and (end is None or row_start < end)


def _instant(value: Any) -> datetime:
    return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


async def appointments_by_relation(window: Window, keys: Sequence[str]) -> list[list[dict]]:
    as_of, start, end = window
    if as_of is not None:
        found = await history_rows.states_by("appointment", "relation_id", _ids(keys), as_of)
        found = [r for r in found if _overlaps(r, start, end)]
    else:
        query = Appointment.filter(relation_id__in=_ids(keys))
        if start is not None:
            query = query.filter(end__gt=start)
        if end is not None:
            query = query.filter(start__lt=end)
        found = await query.values(*APPOINTMENT_COLUMNS)
    found.sort(key=lambda r: (_instant(r["start"]), str(r["id"])))
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in found:
        grouped[str(row["relation_id"])].append(row)
    return [grouped.get(str(k), []) for k in keys]


async def _linked_ids(
    entity: str, model: Any, side: str, as_of: datetime | None, keys: Sequence[str]
) -> list[list[str]]:
    if as_of is not None:
        found = await history_rows.states_by(entity, "appointment_id", _ids(keys), as_of)
    else:
        found = await (
            model.filter(appointment_id__in=_ids(keys))
            .order_by("id")
            .values("id", "appointment_id", f"{side}_id")
        )
    grouped: dict[str, list[str]] = defaultdict(list)
    for row in sorted(found, key=lambda r: int(r["id"])):
        grouped[str(row["appointment_id"])].append(str(row[f"{side}_id"]))
    return [grouped.get(str(k), []) for k in keys]


async def employee_ids_by_appointment(
    as_of: datetime | None, keys: Sequence[str]
) -> list[list[str]]:
    return await _linked_ids("appointment_employee", AppointmentEmployee, "employee", as_of, keys)


async def contact_ids_by_appointment(
    as_of: datetime | None, keys: Sequence[str]
) -> list[list[str]]:
    return await _linked_ids("appointment_contact", AppointmentContact, "contact", as_of, keys)


async def entries_by_employee(
    view: tuple[Actor, datetime, datetime], keys: Sequence[str]
) -> list[list[calendars.Entry]]:
    actor, start, end = view
    found = await calendars.entries(actor, _ids(keys), start, end)
    return [found.get(str(k), []) for k in keys]


async def relation_appointments(
    info: Info,
    relation_id: str,
    as_of: datetime | None,
    start: datetime | None,
    end: datetime | None,
) -> list[AppointmentNode]:
    from server.schema.calendar import AppointmentNode

    window = (as_of, as_utc(start) if start else None, as_utc(end) if end else None)
    found = await info.context.loaders.of(appointments_by_relation, window).load(str(relation_id))
    nodes = [AppointmentNode.from_row(r, as_of) for r in found]
    await prefetch(info, nodes, {
        "contacts": lambda ids: appointment_contacts_many(info, ids, as_of),
        "employees": lambda ids: appointment_employees_many(info, ids, as_of),
    })  # fmt: skip
    return nodes


def calendar_window(
    start: datetime, end: datetime, employees: int = 1
) -> tuple[datetime, datetime]:
    try:
        return calendars.check_range(start, end, employees)
    except DomainError as error:
        raise ApiError(error.code, error.message) from None


async def employee_calendar(
    info: Info, employee_id: str, start: datetime, end: datetime
) -> list[CalendarEntry]:
    actor = actor_of(info)
    view = (actor, *calendar_window(start, end))
    found = await info.context.loaders.of(entries_by_employee, view).load(str(employee_id))
    return [entry_node(e) for e in found]


def entry_node(entry: calendars.Entry) -> CalendarEntry:
    from server.schema.calendar import AppointmentNode, CalendarEntry

    return CalendarEntry(
        start=as_utc(entry.start),
        end=as_utc(entry.end),
        busy=entry.busy,
        appointment=AppointmentNode.from_row(entry.appointment) if entry.appointment else None,
        employee_id=entry.employee_id,
    )


async def appointment_contacts(
    info: Info, appointment_id: str, as_of: datetime | None
) -> list[ContactPersonNode]:
    return (await appointment_contacts_many(info, [appointment_id], as_of))[0]


async def appointment_contacts_many(
    info: Info, appointment_ids: Sequence[str], as_of: datetime | None
) -> list[list[ContactPersonNode]]:
    """The contacts of many appointments: two waits however many (no resolver each)."""
    from server.schema.relation import contact_from_row

    loader = info.context.loaders.of(contact_ids_by_appointment, as_of)
    per_appointment = await loader.load_many([str(a) for a in appointment_ids])
    wanted = list(dict.fromkeys(cid for ids in per_appointment for cid in ids))
    rows = await info.context.loaders.of(register_edges.contacts_by_id, as_of).load_many(wanted)
    nodes = {
        cid: contact_from_row(row, as_of) for cid, row in zip(wanted, rows, strict=True) if row
    }
    return [[nodes[cid] for cid in ids if cid in nodes] for ids in per_appointment]


async def appointment_employees(
    info: Info, appointment_id: str, as_of: datetime | None
) -> list[EmployeeNode]:
    return (await appointment_employees_many(info, [appointment_id], as_of))[0]


async def appointment_employees_many(
    info: Info, appointment_ids: Sequence[str], as_of: datetime | None
) -> list[list[EmployeeNode]]:
    """The employees of many appointments, by name: two waits however many."""
    from server.schema.staff import EmployeeNode

    loader = info.context.loaders.of(employee_ids_by_appointment, as_of)
    per_appointment = await loader.load_many([str(a) for a in appointment_ids])
    wanted = list(dict.fromkeys(eid for ids in per_appointment for eid in ids))
    rows = await info.context.loaders.of(graph_edges.employees_by_id).load_many(wanted)
    found = {eid: row for eid, row in zip(wanted, rows, strict=True) if row}
    nodes = {eid: EmployeeNode.from_row(row) for eid, row in found.items()}
    return [
        [nodes[eid] for eid in sorted(
            (e for e in ids if e in found), key=lambda e: (found[e]["name"], e)
        )]
        for ids in per_appointment
    ]  # fmt: skip
