"""Edges of appointments and calendars (built in the calendar issue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.resolvers.base import Info


async def relation_appointments(
    info: Info,
    relation_id: str,
    as_of: datetime | None,
    start: datetime | None,
    end: datetime | None,
) -> list[Any]:
    return []


async def employee_calendar(
    info: Info, employee_id: str, start: datetime, end: datetime
) -> list[Any]:
    return []


async def appointment_contacts(
    info: Info, appointment_id: str, as_of: datetime | None
) -> list[Any]:
    return []


async def appointment_employees(
    info: Info, appointment_id: str, as_of: datetime | None
) -> list[Any]:
    return []
