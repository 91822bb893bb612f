"""Root fields of the relation graph: partners, links, shareholdings, staff assignments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry

from server.auth.permissions import Actor, Permission
from server.resolvers.base import Info, mutate
from server.schema.base import DeletePayload
from server.schema.enums import AssignmentRole, PartnershipType, RelationLinkType
from server.schema.graph import (
    PartnershipPayload,
    RelationLinkPayload,
    ShareholdingPayload,
    StaffAssignmentPayload,
    assignment_from_row,
    link_from_row,
    partnership_from_row,
    shareholding_from_row,
)
from server.services import assignments, links, partners, shareholdings
from server.services.unit import row_state

WRITE = Permission.WRITE_RELATIONS


def _row(model: Any) -> dict[str, Any]:
    return row_state(model)


def _given(value: Any) -> Any:
    """An optional argument without a default in the contract: omitted means null."""
    return None if value is strawberry.UNSET else value


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Link two persons as partners (both cards show it).")
    async def set_partnership(
        self,
        info: Info,
        person_id: strawberry.ID,
        partner_id: strawberry.ID,
        type: PartnershipType,
        fiscal_partner: bool,
        since: date | None = strawberry.UNSET,
    ) -> PartnershipPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            row = await partners.set_partnership(
                actor, person_id, partner_id, type.value, fiscal_partner, _given(since)
            )
            return {"partnership": partnership_from_row(_row(row), str(person_id))}

        return await mutate(info, PartnershipPayload, WRITE, action)

    @strawberry.mutation(description="End the person's current partnership today; kept in history.")
    async def end_partnership(self, info: Info, person_id: strawberry.ID) -> DeletePayload:
        async def action(actor: Actor) -> dict[str, Any]:
            ended = await partners.end_partnership(actor, person_id)
            return {"deleted_id": strawberry.ID(ended)}

        return await mutate(info, DeletePayload, WRITE, action)

    @strawberry.mutation
    async def link_relation(
        self,
        info: Info,
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        type: RelationLinkType,
        contact_id: strawberry.ID | None = strawberry.UNSET,
        note: str | None = strawberry.UNSET,
        since: date | None = strawberry.UNSET,
    ) -> RelationLinkPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            row = await links.link_relation(
                actor, from_id, to_id, type.value, _given(contact_id), _given(note), _given(since)
            )
            return {"link": link_from_row(_row(row))}

        return await mutate(info, RelationLinkPayload, WRITE, action)

    @strawberry.mutation
    async def unlink_relation(self, info: Info, id: strawberry.ID) -> DeletePayload:
        async def action(actor: Actor) -> dict[str, Any]:
            return {"deleted_id": strawberry.ID(await links.unlink_relation(actor, id))}

        return await mutate(info, DeletePayload, WRITE, action)

    @strawberry.mutation
    async def add_shareholding(
        self,
        info: Info,
        holder_id: strawberry.ID,
        subsidiary_id: strawberry.ID,
        percentage: Decimal,
        since: date | None = strawberry.UNSET,
        fiscal_unity_corporate_tax: bool | None = False,
        fiscal_unity_vat: bool | None = False,
    ) -> ShareholdingPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            row = await shareholdings.add_shareholding(
                actor,
                holder_id,
                subsidiary_id,
                percentage,
                _given(since),
                bool(fiscal_unity_corporate_tax),
                bool(fiscal_unity_vat),
            )
            return {"shareholding": shareholding_from_row(_row(row))}

        return await mutate(info, ShareholdingPayload, WRITE, action)

    @strawberry.mutation
    async def end_shareholding(
        self, info: Info, id: strawberry.ID, until: date
    ) -> ShareholdingPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            row = await shareholdings.end_shareholding(actor, id, until)
            return {"shareholding": shareholding_from_row(_row(row))}

        return await mutate(info, ShareholdingPayload, WRITE, action)

    @strawberry.mutation
    async def assign_staff(
        self,
        info: Info,
        relation_id: strawberry.ID,
        employee_id: strawberry.ID,
        role: AssignmentRole,
        since: date | None = strawberry.UNSET,
    ) -> StaffAssignmentPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            row = await assignments.assign_staff(
                actor, relation_id, employee_id, role.value, _given(since)
            )
            return {"assignment": assignment_from_row(_row(row))}

        return await mutate(info, StaffAssignmentPayload, Permission.ASSIGN_STAFF, action)

    @strawberry.mutation
    async def unassign_staff(self, info: Info, id: strawberry.ID) -> DeletePayload:
        async def action(actor: Actor) -> dict[str, Any]:
            return {"deleted_id": strawberry.ID(await assignments.unassign_staff(actor, id))}

        return await mutate(info, DeletePayload, Permission.ASSIGN_STAFF, action)
