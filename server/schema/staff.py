"""Employees, sign-in and the staff root fields."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from server.resolvers import calendar as calendar_edges
from server.resolvers import graph as graph_edges
from server.resolvers.base import Info
from server.schema.base import UserError
from server.schema.enums import StaffRole

if TYPE_CHECKING:
    from server.schema.calendar import CalendarEntry
    from server.schema.graph import StaffAssignmentNode

AssignmentRef = Annotated["StaffAssignmentNode", strawberry.lazy("server.schema.graph")]
CalendarEntryRef = Annotated["CalendarEntry", strawberry.lazy("server.schema.calendar")]


@strawberry.type(name="Employee")
class EmployeeNode:
    id: strawberry.ID
    name: str
    email: str
    role: StaffRole
    active: bool

    @strawberry.field(
        description="The relations this employee serves, e.g. to know whom to inform when "
        "they are away."
    )
    async def assignments(self, info: Info) -> list[AssignmentRef]:
        return await graph_edges.employee_assignments(info, self.id)

    @strawberry.field(
        description="Appointments in which this employee takes part; others' details need "
        "permission."
    )
    async def calendar(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> list[CalendarEntryRef]:
        return await calendar_edges.employee_calendar(info, self.id, from_, to)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> EmployeeNode:
        return cls(
            id=strawberry.ID(str(row["id"])),
            name=row["name"],
            email=row["email"],
            role=StaffRole(row["role"]),
            active=bool(row["active"]),
        )


@strawberry.type(name="Session")
class SessionNode:
    access_token: str = strawberry.field(
        description="JWT access token; send it as `Authorization: Bearer <token>`."
    )
    expires_at: datetime
    employee: EmployeeNode


@strawberry.type
class SessionPayload:
    session: SessionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EmployeePayload:
    employee: EmployeeNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class EmployeeInput:
    name: str
    email: str
    role: StaffRole
    password: str
