"""Staff who serve a relation: an employee with an assignment role (relation manager,
accountant, tax adviser ...). Unassigning removes the row; the history keeps it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from server.auth.permissions import Actor
from server.errors import Code, DomainError
from server.models import Employee, StaffAssignment
from server.services.graph import (
    current_q,
    event_data,
    lock_relations,
    office_date,
    parse_id,
)
from server.services.unit import row_state, unit_of_work

# In the contract's order, which is also the card's order.
ASSIGNMENT_ROLES = (
    "RELATION_MANAGER",
    "ACCOUNTANT",
    "TAX_ADVISER",
    "PAYROLL_ADMINISTRATOR",
    "ASSISTANT",
    "OTHER",
)


async def assign_staff(
    actor: Actor | None, relation_id: Any, employee_id: Any, role: str, since: date | None = None
) -> StaffAssignment:
    """Assign an active employee to a relation in a role.

    Refused: unknown relation or employee (NOT_FOUND), an inactive employee (INVALID), the
    same employee in the same role on the relation twice (CONFLICT).
    """
    if role not in ASSIGNMENT_ROLES:
        raise DomainError(Code.INVALID, "Unknown assignment role.", ["role"])
    relation = parse_id(relation_id, "relationId")
    employee = parse_id(employee_id, "employeeId", "Employee")
    async with unit_of_work(actor) as unit:
        await lock_relations({"relationId": relation})
        active = await Employee.filter(id=employee).values_list("active", flat=True)
        if not active:
            raise DomainError(Code.NOT_FOUND, "Employee not found.", ["employeeId"])
        if not active[0]:
            raise DomainError(
                Code.INVALID, "An inactive employee cannot be assigned.", ["employeeId"]
            )
        duplicate = StaffAssignment.filter(
            current_q(office_date(unit.now)), relation_id=relation, employee_id=employee, role=role
        )
        if await duplicate.exists():
            raise DomainError(
                Code.CONFLICT, "This employee already has this role here.", ["employeeId"]
            )
        row = StaffAssignment(
            id=uuid.uuid4(), relation_id=relation, employee_id=employee, role=role, since=since
        )
        await row.save()
        after = row_state(row)
        changes = unit.record("assignment", row.id, None, after, relation_id=relation)
        unit.event("assignment.added", relation, event_data("assignment", row.id, changes, after))
    return row


async def unassign_staff(actor: Actor | None, assignment_id: Any) -> str:
    """Remove an assignment; returns its id."""
    aid = parse_id(assignment_id, "id", "Assignment")
    async with unit_of_work(actor) as unit:
        row = await StaffAssignment.select_for_update().get_or_none(id=aid)
        if row is None:
            raise DomainError(Code.NOT_FOUND, "Assignment not found.", ["id"])
        before = row_state(row)
        relation = row.relation_id  # type: ignore[attr-defined]
        await row.delete()
        changes = unit.record("assignment", aid, before, None, relation_id=relation)
        unit.event("assignment.removed", relation, event_data("assignment", aid, changes, None))
    return str(aid)
