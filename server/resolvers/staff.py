"""Root fields of the staff domain: me, employee(s), login, createEmployee."""

from __future__ import annotations

import strawberry

from server.auth.permissions import Permission
from server.errors import DomainError
from server.models import Employee
from server.resolvers.base import Info, actor_of, errors_of, mutate, to_dict
from server.schema.staff import (
    EmployeeInput,
    EmployeeNode,
    EmployeePayload,
    SessionNode,
    SessionPayload,
)
from server.services import staff

EMPLOYEE_FIELDS = ("id", "name", "email", "role", "active")


async def employee_by_id(employee_id: str) -> EmployeeNode | None:
    try:
        row = await Employee.filter(id=employee_id).values(*EMPLOYEE_FIELDS)
    except (ValueError, TypeError):
        return None
    return EmployeeNode.from_row(row[0]) if row else None


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in employee.")
    async def me(self, info: Info) -> EmployeeNode | None:
        actor = actor_of(info)
        return await employee_by_id(actor.id)

    @strawberry.field
    async def employee(self, info: Info, id: strawberry.ID) -> EmployeeNode | None:
        actor_of(info)
        return await employee_by_id(str(id))

    @strawberry.field
    async def employees(self, info: Info, active_only: bool | None = True) -> list[EmployeeNode]:
        actor_of(info)
        query = Employee.all().order_by("name", "id")
        if active_only:
            query = query.filter(active=True)
        return [EmployeeNode.from_row(r) for r in await query.values(*EMPLOYEE_FIELDS)]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def login(self, info: Info, email: str, password: str) -> SessionPayload:
        try:
            session = await staff.login(email, password)
        except DomainError as error:
            return SessionPayload(errors=errors_of(error))
        return SessionPayload(
            session=SessionNode(
                access_token=session.access_token,
                expires_at=session.expires_at,
                employee=EmployeeNode.from_row(session.employee),
            )
        )

    @strawberry.mutation
    async def create_employee(self, info: Info, input: EmployeeInput) -> EmployeePayload:
        async def action(actor):
            employee = await staff.create_employee(actor, to_dict(input))
            return {"employee": EmployeeNode.from_row(staff.employee_row(employee))}

        return await mutate(info, EmployeePayload, Permission.MANAGE_STAFF, action)
