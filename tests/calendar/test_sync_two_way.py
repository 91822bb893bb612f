"""Two-way CalDAV sync against a real Radicale: both directions, no duplicates, series."""

from __future__ import annotations

import asyncio

from server.models import Appointment, AppointmentEmployee, CalendarSyncItem, Version
from tests.calendar import remote
from tests.calendar.helpers import (
    CANCEL,
    CREATE,
    UPDATE,
    appointment_input,
    connect,
    soon,
    sync,
)
from tests.factories import make_employee


async def _plan(api, staff, title: str, **extra) -> dict:
    data = await api.gql(
        CREATE, {"i": appointment_input([staff.id], title=title, **extra)}, token=staff.token
    )
    return data["createAppointment"]["appointment"]


async def test_crm_appointments_reach_the_calendar_and_follow_changes(api, radicale):
    side = await connect(api, radicale, await make_employee("EMPLOYEE"))
    planned = await _plan(api, side.staff, "Jaarrekening")
    assert (await sync(api, side))["lastError"] is None
    there = await asyncio.to_thread(remote.events, side.calendar)
    assert {uid: str(e["SUMMARY"]) for uid, e in there.items()} == {planned["uid"]: "Jaarrekening"}

    changed = appointment_input([side.staff.id], title="Jaarrekening 2026", location="Online")
    await api.gql(UPDATE, {"id": planned["id"], "i": changed}, token=side.staff.token)
    await sync(api, side)
    event = (await asyncio.to_thread(remote.events, side.calendar))[planned["uid"]]
    assert (str(event["SUMMARY"]), str(event["LOCATION"])) == ("Jaarrekening 2026", "Online")

    await api.gql(CANCEL, {"id": planned["id"]}, token=side.staff.token)
    await sync(api, side)
    assert await asyncio.to_thread(remote.events, side.calendar) == {}
    assert await CalendarSyncItem.filter(connection_id=side.connection_id).count() == 0


async def test_calendar_events_become_appointments_and_follow_changes(api, radicale):
    side = await connect(api, radicale, await make_employee("EMPLOYEE"))
    await asyncio.to_thread(remote.add, side.calendar, remote.event_ics("tel-1@phone", "Lunch"))
    await sync(api, side)
    appointment = await Appointment.get(uid="tel-1@phone")
    assert (appointment.title, appointment.status) == ("Lunch", "PLANNED")
    assert await Appointment.filter(uid="tel-1@phone", relation_id=None).exists()
    employees = await AppointmentEmployee.filter(appointment_id=appointment.id).values_list(
        "employee_id", flat=True
    )
    assert [str(e) for e in employees] == [side.staff.id]

    await asyncio.to_thread(remote.edit, side.calendar, "tel-1@phone", "Lunch met klant")
    await sync(api, side)
    await appointment.refresh_from_db()
    assert appointment.title == "Lunch met klant"
    version = (
        await Version.filter(entity="appointment", entity_id=str(appointment.id))
        .order_by("-id")
        .first()
    )
    assert version is not None and version.changes["title"] == ["Lunch", "Lunch met klant"]
    assert str(version.actor_id) == side.staff.id

    await asyncio.to_thread(remote.delete, side.calendar, "tel-1@phone")
    await sync(api, side)
    await appointment.refresh_from_db()
    assert appointment.status == "CANCELLED"


async def test_deleting_a_joint_appointment_takes_only_that_employee_off(api, radicale):
    anna, bob = await make_employee("EMPLOYEE"), await make_employee("EMPLOYEE")
    side = await connect(api, radicale, anna)
    data = await api.gql(
        CREATE, {"i": appointment_input([anna.id, bob.id], title="Samen")}, token=anna.token
    )
    joint = data["createAppointment"]["appointment"]
    await sync(api, side)
    await asyncio.to_thread(remote.delete, side.calendar, joint["uid"])
    await sync(api, side)
    appointment = await Appointment.get(id=joint["id"])
    assert appointment.status == "PLANNED"
    left = await AppointmentEmployee.filter(appointment_id=joint["id"]).values_list(
        "employee_id", flat=True
    )
    assert [str(e) for e in left] == [bob.id]


async def test_repeated_syncs_duplicate_nothing_on_either_side(api, radicale):
    side = await connect(api, radicale, await make_employee("EMPLOYEE"))
    for n in range(3):
        await _plan(api, side.staff, f"CRM {n}", start=soon(n + 1))
        await asyncio.to_thread(
            remote.add,
            side.calendar,
            remote.event_ics(f"tel-{n}@phone", f"Tel {n}", soon(n + 1, 14)),
        )
    await sync(api, side)
    versions = await Version.all().count()
    for _ in range(3):
        assert (await sync(api, side))["lastError"] is None
    assert await Appointment.all().count() == 6
    assert len(await asyncio.to_thread(remote.resources, side.calendar)) == 6
    assert await CalendarSyncItem.filter(connection_id=side.connection_id).count() == 6
    assert await Version.all().count() == versions


async def test_a_recurring_event_keeps_its_master_and_overrides_in_one_resource(api, radicale):
    side = await connect(api, radicale, await make_employee("EMPLOYEE"))
    start = soon(7, 8)
    moved = soon(14, 8)
    override = (
        "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:reeks@phone\r\nDTSTAMP:20260101T000000Z\r\n"
        f"RECURRENCE-ID:{moved.strftime('%Y%m%dT%H%M%SZ')}\r\n"
        f"DTSTART:{moved.replace(hour=11).strftime('%Y%m%dT%H%M%SZ')}\r\n"
        f"DTEND:{moved.replace(hour=12).strftime('%Y%m%dT%H%M%SZ')}\r\n"
        "SUMMARY:Verplaatst\r\n"
    )
    series = remote.event_ics(
        "reeks@phone", "Weekstart", start, extra="RRULE:FREQ=WEEKLY;COUNT=6\r\n" + override
    )
    await asyncio.to_thread(remote.add, side.calendar, series)
    await sync(api, side)
    appointment = await Appointment.get(uid="reeks@phone")
    assert appointment.recurrence_ical is not None and "Verplaatst" in appointment.recurrence_ical

    changed = appointment_input([side.staff.id], title="Weekstart team", start=start)
    await api.gql(UPDATE, {"id": str(appointment.id), "i": changed}, token=side.staff.token)
    await sync(api, side)
    [text] = await asyncio.to_thread(remote.resources, side.calendar)
    parts = [
        (str(e["SUMMARY"]), "RRULE" in e, "RECURRENCE-ID" in e)
        for e in remote.icalendar.Calendar.from_ical(text).walk("VEVENT")
    ]
    assert parts == [("Weekstart team", True, False), ("Verplaatst", False, True)]


async def test_tasks_in_the_calendar_are_remembered_and_left_alone(api, radicale):
    side = await connect(api, radicale, await make_employee("EMPLOYEE"))
    todo = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Telefoon//NL\r\nBEGIN:VTODO\r\n"
        "UID:taak@phone\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Boodschappen\r\n"
        "END:VTODO\r\nEND:VCALENDAR\r\n"
    )
    await asyncio.to_thread(side.calendar.add_todo, todo)
    assert (await sync(api, side))["lastError"] is None
    assert (await sync(api, side))["lastError"] is None
    assert await Appointment.all().count() == 0
    items = await CalendarSyncItem.filter(connection_id=side.connection_id).values(
        "appointment_id", "etag"
    )
    assert len(items) == 1 and items[0]["appointment_id"] is None and items[0]["etag"]
