"""Appointments, calendar entries and calendar connections."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from server.integrations.ical import as_utc
from server.resolvers import calendar as calendar_edges
from server.resolvers import graph as graph_edges
from server.resolvers import register as register_edges
from server.resolvers.base import Info
from server.schema.base import UserError
from server.schema.enums import AppointmentStatus, CalendarProvider

if TYPE_CHECKING:
    from server.schema.relation import ContactPersonNode, RelationNode
    from server.schema.staff import EmployeeNode

RelationRef = Annotated["RelationNode", strawberry.lazy("server.schema.relation")]
ContactRef = Annotated["ContactPersonNode", strawberry.lazy("server.schema.relation")]
EmployeeRef = Annotated["EmployeeNode", strawberry.lazy("server.schema.staff")]


@strawberry.type(name="Appointment")
class AppointmentNode:
    id: strawberry.ID
    title: str
    description: str | None
    location: str | None
    start: datetime
    end: datetime
    all_day: bool
    status: AppointmentStatus
    uid: str = strawberry.field(
        description="iCalendar UID, the same in every synchronised calendar."
    )
    relation_id: strawberry.Private[str | None]
    as_of: strawberry.Private[datetime | None]
    # Edges the parent already loaded for a whole list (resolvers.base.prefetch).
    loaded: strawberry.Private[dict[str, Any]] = dataclasses.field(default_factory=dict)

    @strawberry.field
    async def relation(self, info: Info) -> RelationRef | None:
        return await register_edges.relation_by_id(info, self.relation_id, self.as_of)

    # Plain functions: a prefetched edge is returned as it is; otherwise the awaitable
    # (graphql-core awaits it).
    @strawberry.field
    def contacts(self, info: Info) -> list[ContactRef]:
        if "contacts" in self.loaded:
            return self.loaded["contacts"]
        return calendar_edges.appointment_contacts(info, self.id, self.as_of)  # type: ignore[return-value]

    @strawberry.field
    def employees(self, info: Info) -> list[EmployeeRef]:
        if "employees" in self.loaded:
            return self.loaded["employees"]
        return calendar_edges.appointment_employees(info, self.id, self.as_of)  # type: ignore[return-value]

    @classmethod
    def from_row(cls, row: dict[str, Any], as_of: datetime | None = None) -> AppointmentNode:
        return cls(
            id=strawberry.ID(str(row["id"])),
            title=row["title"],
            description=row["description"],
            location=row["location"],
            start=as_utc(_instant(row["start"])),
            end=as_utc(_instant(row["end"])),
            all_day=bool(row["all_day"]),
            status=AppointmentStatus(row["status"]),
            uid=row["uid"],
            relation_id=str(row["relation_id"]) if row["relation_id"] else None,
            as_of=as_of,
        )


def _instant(value: Any) -> datetime:
    # History states hold ISO strings, live rows datetimes.
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@strawberry.type(
    description="An entry in someone's calendar. Without permission for its details, only the "
    "busy time shows."
)
class CalendarEntry:
    start: datetime
    end: datetime
    busy: bool
    appointment: AppointmentNode | None = strawberry.field(
        description="Null when the viewer may see only free/busy."
    )
    employee_id: strawberry.Private[str]

    @strawberry.field(description="Whose calendar this entry is in.")
    async def employee(self, info: Info) -> EmployeeRef:
        found = await graph_edges.employee_by_id(info, self.employee_id)
        assert found is not None
        return found


@strawberry.type(name="CalendarConnection")
class CalendarConnectionNode:
    id: strawberry.ID
    provider: CalendarProvider
    url: str
    last_synced_at: datetime | None
    last_error: str | None
    employee_id: strawberry.Private[str]

    @strawberry.field
    async def employee(self, info: Info) -> EmployeeRef:
        found = await graph_edges.employee_by_id(info, self.employee_id)
        assert found is not None
        return found

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CalendarConnectionNode:
        return cls(
            id=strawberry.ID(str(row["id"])),
            provider=CalendarProvider(row["provider"]),
            url=row["url"],
            last_synced_at=row["last_synced_at"],
            last_error=row["last_error"],
            employee_id=str(row["employee_id"]),
        )


@strawberry.type
class AppointmentPayload:
    appointment: AppointmentNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CalendarConnectionPayload:
    connection: CalendarConnectionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CalendarFeedPayload:
    url: str | None = strawberry.field(
        default=None,
        description="The secret feed URL, shown only now; subscribe to it in Outlook, Google "
        "or Apple Calendar. Null after revoking.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AppointmentInput:
    title: str
    description: str | None = strawberry.UNSET
    location: str | None = strawberry.UNSET
    start: datetime = strawberry.field(
        description="With a UTC offset; a time without one is read as Europe/Amsterdam."
    )
    end: datetime
    all_day: bool | None = False
    relation_id: strawberry.ID | None = strawberry.UNSET
    contact_ids: list[strawberry.ID] | None = strawberry.UNSET
    employee_ids: list[strawberry.ID]
