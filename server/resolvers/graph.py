"""Edges of the relation graph (built in the relation-graph issue)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from server.models import Employee
from server.resolvers.base import Info

if TYPE_CHECKING:
    from server.schema.staff import EmployeeNode

EMPLOYEE_COLUMNS = ("id", "name", "email", "role", "active")


async def employees_by_id(_: Any, keys: Sequence[str]) -> list[dict | None]:
    rows = await Employee.filter(id__in=list(dict.fromkeys(keys))).values(*EMPLOYEE_COLUMNS)
    by_id = {str(r["id"]): r for r in rows}
    return [by_id.get(str(k)) for k in keys]


async def employee_by_id(info: Info, employee_id: str) -> EmployeeNode | None:
    from server.schema.staff import EmployeeNode

    row = await info.context.loaders.of(employees_by_id).load(str(employee_id))
    return EmployeeNode.from_row(row) if row else None


async def partnership(info: Info, relation_id: str, as_of: datetime | None) -> Any:
    return None


async def links(info: Info, relation_id: str, as_of: datetime | None, types: Any) -> list[Any]:
    return []


async def linked_from(
    info: Info, relation_id: str, as_of: datetime | None, types: Any
) -> list[Any]:
    return []


async def shareholders(info: Info, relation_id: str, as_of: datetime | None) -> list[Any]:
    return []


async def participations(info: Info, relation_id: str, as_of: datetime | None) -> list[Any]:
    return []


async def group(info: Info, relation_id: str, as_of: datetime | None) -> list[Any]:
    return []


async def staff(info: Info, relation_id: str, as_of: datetime | None) -> list[Any]:
    return []


async def employee_assignments(info: Info, employee_id: str) -> list[Any]:
    return []
