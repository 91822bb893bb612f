"""Partners, the client's own relations, shareholdings and staff assignments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from server.resolvers import graph as graph_edges
from server.resolvers import register as register_edges
from server.resolvers.base import Info
from server.schema.base import UserError
from server.schema.enums import AssignmentRole, PartnershipType, RelationLinkType

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
