"""The ICS feed: an employee's appointments as one RFC 5545 calendar, for subscriptions.

Outlook, Google and Apple Calendar subscribe to `/calendar/<token>.ics` (read-only). The
feed holds the appointments from a year back to a year ahead (series that started earlier
too), cancelled ones with STATUS:CANCELLED so subscribers drop them, and a VTIMEZONE for
every TZID used.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response
from tortoise.expressions import Q

from server.integrations import ical
from server.models import Appointment, AppointmentEmployee, Employee
from server.services.appointment_rows import APPOINTMENT_COLUMNS
from server.services.calendar_feeds import employee_of_token
from server.services.unit import utcnow

WINDOW = timedelta(days=365)
REFRESH = timedelta(minutes=15)


async def feed_text(employee_id: str, now: datetime | None = None) -> str:
    """The employee's feed as iCalendar text."""
    now = now or utcnow()
    window = Q(appointment__start__lte=now + WINDOW) & (
        Q(appointment__end__gte=now - WINDOW) | Q(appointment__recurrence_ical__isnull=False)
    )
    ids = await AppointmentEmployee.filter(window, employee_id=employee_id).values_list(
        "appointment_id", flat=True
    )
    rows = (
        await Appointment.filter(id__in=list(ids))
        .order_by("start", "id")
        .values(*APPOINTMENT_COLUMNS)
    )
    employee = await Employee.get(id=employee_id)
    calendar = ical.new_calendar()
    calendar.add("X-WR-CALNAME", f"{employee.name} (relatiebeheer)")
    calendar.add("X-WR-TIMEZONE", "Europe/Amsterdam")
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", REFRESH)
    zones: set[str] = set()
    for row in rows:
        for component in ical.components(ical.event_from_row(row), now):
            if component.name == "VTIMEZONE":
                if str(component.get("TZID")) in zones:
                    continue
                zones.add(str(component.get("TZID")))
            calendar.add_component(component)
    earliest = ical.as_utc(rows[0]["start"]) if rows else now
    ical.add_timezones(calendar, earliest)
    return calendar.to_ical().decode()


async def calendar_feed(request: Request) -> Response:
    employee_id = await employee_of_token(request.path_params["token"])
    if employee_id is None:
        return Response("Not found\n", status_code=404, media_type="text/plain")
    return Response(
        await feed_text(employee_id),
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": 'inline; filename="relatiebeheer.ics"',
        },
    )
