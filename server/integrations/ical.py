"""Appointments <-> iCalendar (RFC 5545): parsing, rendering and content fingerprints.

One `EventData` shape serves both sides of a sync: the CRM's appointment row and the
calendar's resource map onto it, and `fingerprint` of equal content is equal. That is what
lets the sync tell a real change from a re-serialisation (vdirsyncer's item hashes).

Time zones: instants are kept in UTC; floating times and dates are read as Europe/Amsterdam
(the office's zone), and everything written out carries TZID=Europe/Amsterdam with its
VTIMEZONE. A recurring event keeps its whole VCALENDAR (master and overrides) verbatim in
`recurrence_ical`; only the master's own fields are overlaid with the CRM's values.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

OFFICE_ZONE = ZoneInfo("Europe/Amsterdam")
PRODID = "-//relatiebeheer//calendar//NL"
NO_TITLE = "(no title)"
TITLE_MAX = 300
LOCATION_MAX = 300
# Properties that make up a series; the CRM never edits them, the sync carries them along.
SERIES_PROPERTIES = ("RRULE", "RDATE", "EXDATE", "EXRULE")


@dataclass(frozen=True)
class EventData:
    uid: str
    title: str
    description: str | None
    location: str | None
    start: datetime
    end: datetime
    all_day: bool
    cancelled: bool
    recurrence_ical: str | None = None
    last_modified: datetime | None = None
    sequence: int = 0


class ICalError(ValueError):
    """A calendar resource that cannot be read as an event."""


def as_utc(value: datetime) -> datetime:
    """An aware UTC instant; a naive value is read as office (Amsterdam) local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=OFFICE_ZONE)
    return value.astimezone(UTC)


def day_start(day: date) -> datetime:
    """Midnight of `day` in the office's zone, as UTC."""
    return datetime.combine(day, time(0), OFFICE_ZONE).astimezone(UTC)


def local_day(value: datetime) -> date:
    return as_utc(value).astimezone(OFFICE_ZONE).date()


def _clip(text: Any, limit: int | None = None) -> str | None:
    if text is None:
        return None
    value = str(text)
    return value[:limit] if limit else value


def fingerprint(event: EventData) -> str:
    """SHA-256 of what the sync compares: equal content gives an equal hash on both sides."""
    content = {
        "title": event.title,
        "description": event.description or "",
        "location": event.location or "",
        "start": as_utc(event.start).isoformat(),
        "end": as_utc(event.end).isoformat(),
        "all_day": event.all_day,
        "cancelled": event.cancelled,
        "series": series_signature(event.recurrence_ical),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def series_signature(text: str | None) -> str | None:
    """Hash of the parts of a series the CRM does not edit: rules and overrides."""
    if not text:
        return None
    calendar = icalendar.Calendar.from_ical(text)
    parts: list[str] = []
    for component in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in component:
            parts.append(component.to_ical().decode())
        else:
            for name in SERIES_PROPERTIES:
                for value in _as_list(component.get(name)):
                    parts.append(f"{name}:{value.to_ical().decode()}")
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# ---------------------------------------------------------------- reading


def parse_resource(text: str) -> EventData | None:
    """The event in a calendar resource, or None when it holds no VEVENT (a task, a journal).

    Anything unreadable raises ICalError: one broken resource must not stop a sync.
    """
    try:
        return _parse(text)
    except ICalError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise ICalError(f"unreadable event ({type(error).__name__})") from error


def _parse(text: str) -> EventData | None:
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    if not events:
        return None
    master = next((e for e in events if "RECURRENCE-ID" not in e), events[0])
    uid = master.get("UID")
    if not uid:
        raise ICalError("event without UID")
    recurring = len(events) > 1 or any(name in master for name in SERIES_PROPERTIES)
    start, end, all_day = _times(master)
    return EventData(
        uid=str(uid),
        title=_clip(master.get("SUMMARY"), TITLE_MAX) or NO_TITLE,
        description=_clip(master.get("DESCRIPTION")),
        location=_clip(master.get("LOCATION"), LOCATION_MAX),
        start=start,
        end=end,
        all_day=all_day,
        cancelled=str(master.get("STATUS", "")).upper() == "CANCELLED",
        recurrence_ical=text if recurring else None,
        last_modified=_modified(master),
        sequence=int(master.get("SEQUENCE", 0) or 0),
    )


def _times(event: icalendar.Component) -> tuple[datetime, datetime, bool]:
    if "DTSTART" not in event:
        raise ICalError("event without DTSTART")
    raw_start = event.decoded("DTSTART")
    all_day = isinstance(raw_start, date) and not isinstance(raw_start, datetime)
    start = day_start(raw_start) if all_day else as_utc(raw_start)
    if "DTEND" in event:
        raw_end = event.decoded("DTEND")
        end = day_start(raw_end) if all_day else as_utc(raw_end)
    elif "DURATION" in event:
        end = start + event.decoded("DURATION")
    else:
        # RFC 5545 3.6.1: a date lasts one day, a date-time ends when it starts.
        end = day_start(raw_start + timedelta(days=1)) if all_day else start
    return start, max(start, end), all_day


def _modified(event: icalendar.Component) -> datetime | None:
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        if name in event:
            value = event.decoded(name)
            if isinstance(value, datetime):
                return as_utc(value)
    return None


# ---------------------------------------------------------------- writing


def event_from_row(row: dict[str, Any]) -> EventData:
    """The appointment row (as from `.values()`) in the shared shape."""
    return EventData(
        uid=row["uid"],
        title=row["title"],
        description=row["description"],
        location=row["location"],
        start=as_utc(row["start"]),
        end=as_utc(row["end"]),
        all_day=bool(row["all_day"]),
        cancelled=row["status"] == "CANCELLED",
        recurrence_ical=row.get("recurrence_ical"),
        last_modified=as_utc(row["updated_at"]) if row.get("updated_at") else None,
        sequence=int(row.get("sequence") or 0),
    )


def render(event: EventData, now: datetime | None = None) -> str:
    """One calendar resource (VCALENDAR text) for the event, with its VTIMEZONE(s)."""
    calendar = new_calendar()
    for component in components(event, now):
        calendar.add_component(component)
    add_timezones(calendar, as_utc(event.start))
    return calendar.to_ical().decode()


def add_timezones(calendar: icalendar.Calendar, earliest: datetime) -> None:
    """VTIMEZONEs for every TZID used, covering the transitions from a year before `earliest`."""
    calendar.add_missing_timezones(first_date=date(max(1970, earliest.year - 1), 1, 1))


def new_calendar() -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    return calendar


def components(event: EventData, now: datetime | None = None) -> list[icalendar.Component]:
    """The VEVENT(s) of the event: a series keeps its overrides and its own VTIMEZONEs."""
    stamp = now or datetime.now(UTC)
    if not event.recurrence_ical:
        vevent = icalendar.Event()
        vevent.add("UID", event.uid)
        _overlay(vevent, event, stamp)
        return [vevent]
    original = icalendar.Calendar.from_ical(event.recurrence_ical)
    result: list[icalendar.Component] = []
    for component in original.subcomponents:
        if component.name == "VEVENT" and "RECURRENCE-ID" not in component:
            _overlay(component, event, stamp)
        if component.name in {"VEVENT", "VTIMEZONE"}:
            result.append(component)
    return result


def _overlay(vevent: icalendar.Component, event: EventData, stamp: datetime) -> None:
    _set(vevent, "DTSTAMP", stamp.astimezone(UTC))
    if event.last_modified is not None:
        _set(vevent, "LAST-MODIFIED", event.last_modified.astimezone(UTC))
    _set(vevent, "SEQUENCE", event.sequence)
    _set(vevent, "SUMMARY", event.title)
    _set(vevent, "DESCRIPTION", event.description or None)
    _set(vevent, "LOCATION", event.location or None)
    _set(vevent, "STATUS", "CANCELLED" if event.cancelled else "CONFIRMED")
    if _times_differ(vevent, event):
        # A series keeps its DTSTART (and TZID) unless the CRM moved it.
        start, end = _wire_times(event)
        _set(vevent, "DTSTART", start)
        _set(vevent, "DTEND", end)
        vevent.pop("DURATION", None)


def _times_differ(vevent: icalendar.Component, event: EventData) -> bool:
    if "DTSTART" not in vevent:
        return True
    try:
        start, end, all_day = _times(vevent)
    except ICalError:
        return True
    return (start, end, all_day) != (as_utc(event.start), as_utc(event.end), event.all_day)


def _wire_times(event: EventData) -> tuple[date | datetime, date | datetime]:
    if event.all_day:
        first = local_day(event.start)
        last = local_day(event.end)
        return first, last if last > first else first + timedelta(days=1)
    return (
        as_utc(event.start).astimezone(OFFICE_ZONE),
        as_utc(event.end).astimezone(OFFICE_ZONE),
    )


def _set(vevent: icalendar.Component, name: str, value: Any) -> None:
    vevent.pop(name, None)
    if value is not None:
        vevent.add(name, value)
