"""Appointments, calendar entries and calendar connections."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

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

    @strawberry.field
    async def relation(self, info: Info) -> RelationRef | None:
        return await register_edges.relation_by_id(info, self.relation_id, self.as_of)

    @strawberry.field
    async def contacts(self, info: Info) -> list[ContactRef]:
        return await calendar_edges.appointment_contacts(info, self.id, self.as_of)

    @strawberry.field
    async def employees(self, info: Info) -> list[EmployeeRef]:
        return await calendar_edges.appointment_employees(info, self.id, self.as_of)


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


@strawberry.type
class AppointmentPayload:
    appointment: AppointmentNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CalendarConnectionPayload:
    connection: CalendarConnectionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AppointmentInput:
    title: str
    description: str | None = strawberry.UNSET
    location: str | None = strawberry.UNSET
    start: datetime
    end: datetime
    all_day: bool | None = False
    relation_id: strawberry.ID | None = strawberry.UNSET
    contact_ids: list[strawberry.ID] | None = strawberry.UNSET
    employee_ids: list[strawberry.ID]
