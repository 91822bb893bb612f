"""Partners, the client's own relations, shareholdings and staff assignments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from server.resolvers import graph as graph_edges
from server.resolvers import register as register_edges
from server.resolvers.base import Info
from server.schema.base import UserError
from server.schema.enums import AssignmentRole, PartnershipType, RelationLinkType
from server.services.card_stamps import note
from server.services.graph import as_date

if TYPE_CHECKING:
    from server.schema.relation import ContactPersonNode, RelationNode
    from server.schema.staff import EmployeeNode

RelationRef = Annotated["RelationNode", strawberry.lazy("server.schema.relation")]
ContactRef = Annotated["ContactPersonNode", strawberry.lazy("server.schema.relation")]
EmployeeRef = Annotated["EmployeeNode", strawberry.lazy("server.schema.staff")]


async def _relation(info: Info, relation_id: str, as_of: datetime | None) -> RelationNode:
    found = await register_edges.relation_by_id(info, relation_id, as_of)
    assert found is not None, "edge points at a missing relation"
    return found


@strawberry.type(name="Partnership")
class PartnershipNode:
    id: strawberry.ID
    type: PartnershipType
    fiscal_partner: bool = strawberry.field(
        description="Fiscaal partner for the income-tax return."
    )
    since: date | None
    until: date | None
    partner_id: strawberry.Private[str]
    as_of: strawberry.Private[datetime | None]

    @strawberry.field
    async def partner(self, info: Info) -> RelationRef:
        return await _relation(info, self.partner_id, self.as_of)


@strawberry.type(name="RelationLink")
class RelationLinkNode:
    id: strawberry.ID
    type: RelationLinkType
    note: str | None
    since: date | None
    until: date | None
    from_id: strawberry.Private[str]
    to_id: strawberry.Private[str]
    contact_id: strawberry.Private[str | None]
    as_of: strawberry.Private[datetime | None]

    @strawberry.field(name="from")
    async def from_(self, info: Info) -> RelationRef:
        return await _relation(info, self.from_id, self.as_of)

    @strawberry.field
    async def to(self, info: Info) -> RelationRef:
        return await _relation(info, self.to_id, self.as_of)

    @strawberry.field(
        description="The contact person at the linked relation, e.g. the account manager at "
        "the bank."
    )
    async def contact(self, info: Info) -> ContactRef | None:
        return await register_edges.contact_by_id(info, self.contact_id, self.as_of)


@strawberry.type(name="Shareholding")
class ShareholdingNode:
    id: strawberry.ID
    percentage: Decimal
    since: date | None
    until: date | None
    fiscal_unity_corporate_tax: bool = strawberry.field(
        description="Part of a fiscale eenheid for VPB."
    )
    fiscal_unity_vat: bool = strawberry.field(description="Part of a fiscale eenheid for btw.")
    depth: int = strawberry.field(
        description="Distance from the ultimate parent in `Relation.group`; 0 elsewhere."
    )
    holder_id: strawberry.Private[str]
    subsidiary_id: strawberry.Private[str]
    as_of: strawberry.Private[datetime | None]

    @strawberry.field
    async def holder(self, info: Info) -> RelationRef:
        return await _relation(info, self.holder_id, self.as_of)

    @strawberry.field
    async def subsidiary(self, info: Info) -> RelationRef:
        return await _relation(info, self.subsidiary_id, self.as_of)


@strawberry.type(name="StaffAssignment")
class StaffAssignmentNode:
    id: strawberry.ID
    role: AssignmentRole
    since: date | None
    until: date | None
    employee_id: strawberry.Private[str]
    relation_id: strawberry.Private[str]
    as_of: strawberry.Private[datetime | None]

    @strawberry.field
    async def employee(self, info: Info) -> EmployeeRef:
        found = await graph_edges.employee_by_id(info, self.employee_id)
        assert found is not None
        return found

    @strawberry.field
    async def relation(self, info: Info) -> RelationRef:
        return await _relation(info, self.relation_id, self.as_of)


@strawberry.type
class PartnershipPayload:
    partnership: PartnershipNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RelationLinkPayload:
    link: RelationLinkNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ShareholdingPayload:
    shareholding: ShareholdingNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StaffAssignmentPayload:
    assignment: StaffAssignmentNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _id(value: Any) -> str:
    return str(value)


def _opt_id(value: Any) -> str | None:
    return None if value is None else str(value)


def plain_percentage(value: Any) -> Decimal:
    """50.0000 -> 50, 12.5000 -> 12.5: as entered, never in exponent form."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def partnership_from_row(
    row: dict[str, Any], relation_id: str, as_of: datetime | None = None
) -> PartnershipNode:
    """The partnership as seen from `relation_id`: the partner is the other person."""
    a, b = _id(row["person_a_id"]), _id(row["person_b_id"])
    note(a, b)
    return PartnershipNode(
        id=strawberry.ID(_id(row["id"])),
        type=PartnershipType(row["type"]),
        fiscal_partner=bool(row["fiscal_partner"]),
        since=as_date(row["since"]),
        until=as_date(row["until"]),
        partner_id=b if a == str(relation_id) else a,
        as_of=as_of,
    )


def link_from_row(row: dict[str, Any], as_of: datetime | None = None) -> RelationLinkNode:
    note(row["from_relation_id"], row["to_relation_id"])
    return RelationLinkNode(
        id=strawberry.ID(_id(row["id"])),
        type=RelationLinkType(row["type"]),
        note=row["note"],
        since=as_date(row["since"]),
        until=as_date(row["until"]),
        from_id=_id(row["from_relation_id"]),
        to_id=_id(row["to_relation_id"]),
        contact_id=_opt_id(row["contact_id"]),
        as_of=as_of,
    )


def shareholding_from_row(
    row: dict[str, Any], as_of: datetime | None = None, depth: int = 0
) -> ShareholdingNode:
    note(row["holder_id"], row["subsidiary_id"])
    return ShareholdingNode(
        id=strawberry.ID(_id(row["id"])),
        percentage=plain_percentage(row["percentage"]),
        since=as_date(row["since"]),
        until=as_date(row["until"]),
        fiscal_unity_corporate_tax=bool(row["fiscal_unity_corporate_tax"]),
        fiscal_unity_vat=bool(row["fiscal_unity_vat"]),
        depth=depth,
        holder_id=_id(row["holder_id"]),
        subsidiary_id=_id(row["subsidiary_id"]),
        as_of=as_of,
    )


def assignment_from_row(row: dict[str, Any], as_of: datetime | None = None) -> StaffAssignmentNode:
    note(row["relation_id"])
    return StaffAssignmentNode(
        id=strawberry.ID(_id(row["id"])),
        role=AssignmentRole(row["role"]),
        since=as_date(row["since"]),
        until=as_date(row["until"]),
        employee_id=_id(row["employee_id"]),
        relation_id=_id(row["relation_id"]),
        as_of=as_of,
    )
