"""The calendar's side of the sync tests, driven with the `caldav` client (as a phone would)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar

from tests.calendar.helpers import soon


def event_ics(
    uid: str,
    summary: str,
    start: datetime | None = None,
    modified: datetime | None = None,
    extra: str = "",
) -> str:
    start = start or soon(2, 10)
    stamp = (modified or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Telefoon//NL\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:{stamp}\r\nLAST-MODIFIED:{stamp}\r\n"
        f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}\r\n"
        f"DTEND:{(start + timedelta(hours=1)).strftime('%Y%m%dT%H%M%SZ')}\r\n"
        f"SUMMARY:{summary}\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def events(calendar: Any) -> dict[str, icalendar.Component]:
    """Every VEVENT master in the calendar, by UID (each resource loaded fresh)."""
    found = {}
    for text in resources(calendar):
        parsed = icalendar.Calendar.from_ical(text)
        for event in parsed.walk("VEVENT"):
            if "RECURRENCE-ID" not in event:
                found[str(event["UID"])] = event
    return found


def resources(calendar: Any) -> list[str]:
    """The text of every resource in the calendar, as stored there."""
    return [str(r.data) for r in calendar.get_events()]


def add(calendar: Any, ics: str) -> None:
    calendar.add_event(ics)


def edit(calendar: Any, uid: str, summary: str, modified: datetime | None = None) -> None:
    """Change the event's title as a calendar app would, stamping LAST-MODIFIED."""
    resource = calendar.get_event_by_uid(uid)
    component = resource.icalendar_component
    for name in ("SUMMARY", "LAST-MODIFIED"):
        component.pop(name, None)
    component.add("SUMMARY", summary)
    component.add("LAST-MODIFIED", modified or datetime.now(UTC))
    resource.save(increase_seqno=False)


def delete(calendar: Any, uid: str) -> None:
    calendar.get_event_by_uid(uid).delete()
