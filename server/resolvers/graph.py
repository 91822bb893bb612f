"""Edges of the relation graph: partner, links, shareholders, participations, group, staff.

Every batch function takes `(param, keys)` and answers one result per key; `param` holds
`as_of` (None = live tables, otherwise rows rebuilt from history). Live reads use
`.values()`; the group is one recursive SQL statement (server/services/graph.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tortoise.expressions import Q

from server.models import Employee, Partnership, RelationLink, Shareholding, StaffAssignment
from server.resolvers.base import Info
from server.services import history_rows
from server.services.assignments import ASSIGNMENT_ROLES
from server.services.graph import (
    SHAREHOLDING_COLUMNS,
    current_q,
    group_rows,
    is_current,
    office_date,
)
from server.services.group_history import group_rows_as_of
from server.services.links import LINK_TYPES

if TYPE_CHECKING:
    from server.schema.graph import (
        PartnershipNode,
        RelationLinkNode,
        ShareholdingNode,
        StaffAssignmentNode,
    )
    from server.schema.staff import EmployeeNode

EMPLOYEE_COLUMNS = ("id", "name", "email", "role", "active")
PARTNERSHIP_COLUMNS = (
    "id",
    "person_a_id",
    "person_b_id",
    "type",
    "fiscal_partner",
    "since",
    "until",
)
LINK_COLUMNS = (
    "id",
    "from_relation_id",
    "to_relation_id",
    "type",
    "contact_id",
    "note",
    "since",
    "until",
)
ASSIGNMENT_COLUMNS = ("id", "relation_id", "employee_id", "role", "since", "until")
LINK_TYPE_ORDER = {t: i for i, t in enumerate(LINK_TYPES)}
ROLE_ORDER = {r: i for i, r in enumerate(ASSIGNMENT_ROLES)}


def _ids(keys: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(str(k) for k in keys))


def _day(as_of: datetime | None) -> Any:
    return office_date(as_of)


async def _states_by(
    entity: str, columns: Sequence[str], ids: list[str], as_of: datetime
) -> list[dict]:
    """History states of `entity` whose column (any of `columns`) was in `ids`, once each."""
    found: dict[str, dict] = {}
    for column in columns:
        for row in await history_rows.states_by(entity, column, ids, as_of):
            found[str(row["id"])] = row
    return list(found.values())


def _by_id(row: dict) -> str:
    return str(row["id"])


def _by(rows: Sequence[dict], column: str, keys: Sequence[str]) -> list[list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[str(row[column])].append(row)
    return [grouped.get(str(k), []) for k in keys]


# ---------------------------------------------------------------- employees


async def employees_by_id(_: Any, keys: Sequence[str]) -> list[dict | None]:
    rows = await Employee.filter(id__in=_ids(keys)).values(*EMPLOYEE_COLUMNS)
    by_id = {str(r["id"]): r for r in rows}
    return [by_id.get(str(k)) for k in keys]


async def employee_by_id(info: Info, employee_id: str) -> EmployeeNode | None:
    from server.schema.staff import EmployeeNode

    row = await info.context.loaders.of(employees_by_id).load(str(employee_id))
    return EmployeeNode.from_row(row) if row else None


# ---------------------------------------------------------------- partners


async def partnerships_by_person(as_of: datetime | None, keys: Sequence[str]) -> list[dict | None]:
    ids = _ids(keys)
    day = _day(as_of)
    if as_of is None:
        rows = await Partnership.filter(
            current_q(day), Q(person_a_id__in=ids) | Q(person_b_id__in=ids)
        ).values(*PARTNERSHIP_COLUMNS)
    else:
        states = await _states_by("partnership", ("person_a_id", "person_b_id"), ids, as_of)
        rows = [r for r in states if is_current(r, day)]
    by_person: dict[str, dict] = {}
    for row in rows:
        by_person[str(row["person_a_id"])] = row
        by_person[str(row["person_b_id"])] = row
    return [by_person.get(str(k)) for k in keys]


async def partnership(
    info: Info, relation_id: str, as_of: datetime | None
) -> PartnershipNode | None:
    from server.schema.graph import partnership_from_row

    loader = info.context.loaders.of(partnerships_by_person, as_of)
    row = await loader.load(str(relation_id))
    return partnership_from_row(row, str(relation_id), as_of) if row else None


# ---------------------------------------------------------------- the client's own relations


async def _links(column: str, param: tuple, keys: Sequence[str]) -> list[list[dict]]:
    as_of, types = param
    ids = _ids(keys)
    if as_of is None:
        query = RelationLink.filter(**{f"{column}__in": ids})
        if types:
            query = query.filter(type__in=list(types))
        other = "to_relation" if column == "from_relation_id" else "from_relation"
        rows = await query.order_by(f"{other}__sort_name", "id").values(*LINK_COLUMNS)
    else:
        states = await _states_by("link", (column,), ids, as_of)
        rows = sorted((r for r in states if not types or r["type"] in types), key=_by_id)
    # Stable: in the contract's order of link types, then as the query sorted them.
    rows = sorted(rows, key=lambda r: LINK_TYPE_ORDER.get(r["type"], len(LINK_TYPE_ORDER)))
    return _by(rows, column, keys)


async def links_by_from(param: tuple, keys: Sequence[str]) -> list[list[dict]]:
    return await _links("from_relation_id", param, keys)


async def links_by_to(param: tuple, keys: Sequence[str]) -> list[list[dict]]:
    return await _links("to_relation_id", param, keys)


def _types(types: Any) -> tuple[str, ...]:
    return tuple(sorted({getattr(t, "value", t) for t in types or ()}))


async def links(
    info: Info, relation_id: str, as_of: datetime | None, types: Any
) -> list[RelationLinkNode]:
    from server.schema.graph import link_from_row

    loader = info.context.loaders.of(links_by_from, (as_of, _types(types)))
    return [link_from_row(r, as_of) for r in await loader.load(str(relation_id))]


async def linked_from(
    info: Info, relation_id: str, as_of: datetime | None, types: Any
) -> list[RelationLinkNode]:
    from server.schema.graph import link_from_row

    loader = info.context.loaders.of(links_by_to, (as_of, _types(types)))
    return [link_from_row(r, as_of) for r in await loader.load(str(relation_id))]


# ---------------------------------------------------------------- holdings


async def _holdings(column: str, as_of: datetime | None, keys: Sequence[str]) -> list[list[dict]]:
    ids = _ids(keys)
    day = _day(as_of)
    if as_of is None:
        query = Shareholding.filter(current_q(day), **{f"{column}__in": ids})
        rows = await query.order_by("-percentage", "id").values(*SHAREHOLDING_COLUMNS)
    else:
        states = await _states_by("shareholding", (column,), ids, as_of)
        current = (r for r in states if is_current(r, day))
        rows = sorted(current, key=lambda r: (-float(r["percentage"]), str(r["id"])))
    return _by(rows, column, keys)


async def shareholdings_by_subsidiary(as_of: datetime | None, keys: Sequence[str]) -> list:
    return await _holdings("subsidiary_id", as_of, keys)


async def shareholdings_by_holder(as_of: datetime | None, keys: Sequence[str]) -> list:
    return await _holdings("holder_id", as_of, keys)


async def groups_by_relation(as_of: datetime | None, keys: Sequence[str]) -> list[list[dict]]:
    if as_of is None:
        grouped = await group_rows(_ids(keys), _day(None))
    else:
        grouped = await group_rows_as_of(_ids(keys), as_of)
    return [grouped.get(str(k), []) for k in keys]


async def shareholders(
    info: Info, relation_id: str, as_of: datetime | None
) -> list[ShareholdingNode]:
    from server.schema.graph import shareholding_from_row

    loader = info.context.loaders.of(shareholdings_by_subsidiary, as_of)
    return [shareholding_from_row(r, as_of) for r in await loader.load(str(relation_id))]


async def participations(
    info: Info, relation_id: str, as_of: datetime | None
) -> list[ShareholdingNode]:
    from server.schema.graph import shareholding_from_row

    loader = info.context.loaders.of(shareholdings_by_holder, as_of)
    return [shareholding_from_row(r, as_of) for r in await loader.load(str(relation_id))]


async def group(info: Info, relation_id: str, as_of: datetime | None) -> list[ShareholdingNode]:
    from server.schema.graph import shareholding_from_row

    loader = info.context.loaders.of(groups_by_relation, as_of)
    rows = await loader.load(str(relation_id))
    return [shareholding_from_row(r, as_of, r["depth"]) for r in rows]


# ---------------------------------------------------------------- staff


async def staff_by_relation(as_of: datetime | None, keys: Sequence[str]) -> list[list[dict]]:
    ids = _ids(keys)
    if as_of is None:
        query = StaffAssignment.filter(relation_id__in=ids).order_by("employee__name", "id")
        rows = await query.values(*ASSIGNMENT_COLUMNS)
    else:
        states = await _states_by("assignment", ("relation_id",), ids, as_of)
        rows = sorted(states, key=_by_id)
    # Stable: the relation manager first (the contract's order of roles), then by name.
    rows = sorted(rows, key=lambda r: ROLE_ORDER.get(r["role"], len(ROLE_ORDER)))
    return _by(rows, "relation_id", keys)


async def assignments_by_employee(_: Any, keys: Sequence[str]) -> list[list[dict]]:
    query = StaffAssignment.filter(employee_id__in=_ids(keys))
    rows = await query.values(*ASSIGNMENT_COLUMNS, relation_name="relation__sort_name")
    rows.sort(
        key=lambda r: (r["relation_name"], str(r["relation_id"]), ROLE_ORDER.get(r["role"], 99))
    )
    return _by(rows, "employee_id", keys)


async def staff(info: Info, relation_id: str, as_of: datetime | None) -> list[StaffAssignmentNode]:
    from server.schema.graph import assignment_from_row

    loader = info.context.loaders.of(staff_by_relation, as_of)
    return [assignment_from_row(r, as_of) for r in await loader.load(str(relation_id))]


async def employee_assignments(info: Info, employee_id: str) -> list[StaffAssignmentNode]:
    from server.schema.graph import assignment_from_row

    loader = info.context.loaders.of(assignments_by_employee)
    return [assignment_from_row(r) for r in await loader.load(str(employee_id))]
