"""Conflicts: both sides changed, by the written rule, also when a PUT meets a 412."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from server.integrations import caldav_driver
from server.models import Appointment, Version
from tests.calendar import remote
from tests.calendar.helpers import CREATE, UPDATE, appointment_input, connect, sync
from tests.factories import make_employee


async def _synced(api, radicale, title: str = "Jaarrekening"):
    side = await connect(api, radicale, await make_employee("EMPLOYEE"))
    data = await api.gql(
        CREATE, {"i": appointment_input([side.staff.id], title=title)}, token=side.staff.token
    )
    planned = data["createAppointment"]["appointment"]
    await sync(api, side)
    return side, planned


async def _retitle(api, side, planned, title: str) -> None:
    changed = appointment_input(
        [side.staff.id], title=title, start=planned["start"], end=planned["end"]
    )
    data = await api.gql(UPDATE, {"id": planned["id"], "i": changed}, token=side.staff.token)
    assert data["updateAppointment"]["errors"] == []


async def _conflict_notes(appointment_id: str) -> list[str]:
    versions = await Version.filter(entity="appointment", entity_id=appointment_id).order_by("id")
    return [v.changes["sync_conflict"][1] for v in versions if "sync_conflict" in v.changes]


async def test_when_both_changed_the_newer_calendar_change_wins_and_is_recorded(api, radicale):
    side, planned = await _synced(api, radicale)
    await _retitle(api, side, planned, "Titel uit het CRM")
    later = datetime.now(UTC) + timedelta(hours=1)
    await asyncio.to_thread(
        remote.edit, side.calendar, planned["uid"], "Titel uit de agenda", later
    )
    assert (await sync(api, side))["lastError"] is None
    assert (await Appointment.get(id=planned["id"])).title == "Titel uit de agenda"
    notes = await _conflict_notes(planned["id"])
    assert len(notes) == 1 and notes[0].startswith("both changed; the calendar's change is newer")
    there = await asyncio.to_thread(remote.events, side.calendar)
    assert str(there[planned["uid"]]["SUMMARY"]) == "Titel uit de agenda"


async def test_when_both_changed_an_older_calendar_change_loses_to_the_crm(api, radicale):
    side, planned = await _synced(api, radicale)
    earlier = datetime.now(UTC) - timedelta(days=1)
    await asyncio.to_thread(remote.edit, side.calendar, planned["uid"], "Oude agendatitel", earlier)
    await _retitle(api, side, planned, "Titel uit het CRM")
    await sync(api, side)
    assert (await Appointment.get(id=planned["id"])).title == "Titel uit het CRM"
    there = await asyncio.to_thread(remote.events, side.calendar)
    assert str(there[planned["uid"]]["SUMMARY"]) == "Titel uit het CRM"
    notes = await _conflict_notes(planned["id"])
    assert len(notes) == 1 and notes[0].startswith("both changed; the CRM's change wins")


def _change_remote_after_first_report(side, uid: str, title: str, modified: datetime):
    """An app changes the event between our listing (REPORT) and our PUT: the PUT gets 412."""
    done: list[bool] = []

    def observer(method: str, url: str, status: int) -> None:
        if method == "REPORT" and not done:
            done.append(True)
            remote.edit(side.calendar, uid, title, modified)

    return observer


async def test_a_412_on_push_is_settled_by_the_rule_in_favour_of_the_newer_calendar(api, radicale):
    side, planned = await _synced(api, radicale)
    await _retitle(api, side, planned, "Titel uit het CRM")
    observer = _change_remote_after_first_report(
        side, planned["uid"], "Net gewijzigd op de telefoon", datetime.now(UTC) + timedelta(hours=1)
    )
    caldav_driver.RESPONSE_OBSERVERS.append(observer)
    try:
        assert (await sync(api, side))["lastError"] is None
    finally:
        caldav_driver.RESPONSE_OBSERVERS.remove(observer)
    assert (await Appointment.get(id=planned["id"])).title == "Net gewijzigd op de telefoon"
    notes = await _conflict_notes(planned["id"])
    assert notes == ["changed on both sides during the sync (412); the calendar's change is newer"]
    assert (await sync(api, side))["lastError"] is None
    there = await asyncio.to_thread(remote.events, side.calendar)
    assert str(there[planned["uid"]]["SUMMARY"]) == "Net gewijzigd op de telefoon"


async def test_a_412_on_push_is_settled_in_favour_of_a_newer_crm_change(api, radicale):
    side, planned = await _synced(api, radicale)
    await _retitle(api, side, planned, "Titel uit het CRM")
    observer = _change_remote_after_first_report(
        side, planned["uid"], "Oude wijziging", datetime.now(UTC) - timedelta(days=2)
    )
    caldav_driver.RESPONSE_OBSERVERS.append(observer)
    try:
        assert (await sync(api, side))["lastError"] is None
    finally:
        caldav_driver.RESPONSE_OBSERVERS.remove(observer)
    assert (await Appointment.get(id=planned["id"])).title == "Titel uit het CRM"
    there = await asyncio.to_thread(remote.events, side.calendar)
    assert str(there[planned["uid"]]["SUMMARY"]) == "Titel uit het CRM"
    notes = await _conflict_notes(planned["id"])
    assert notes == ["changed on both sides during the sync (412); the CRM's change wins"]


async def test_a_calendar_deletion_loses_to_a_crm_change(api, radicale):
    side, planned = await _synced(api, radicale)
    await asyncio.to_thread(remote.delete, side.calendar, planned["uid"])
    await _retitle(api, side, planned, "Toch doorgaan")
    await sync(api, side)
    assert (await Appointment.get(id=planned["id"])).status == "PLANNED"
    there = await asyncio.to_thread(remote.events, side.calendar)
    assert str(there[planned["uid"]]["SUMMARY"]) == "Toch doorgaan"
    notes = await _conflict_notes(planned["id"])
    assert notes == ["deleted in the calendar, changed in the CRM: the change wins"]
