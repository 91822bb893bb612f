"""Linked systems, accounts, single-sign-on drill-down and the change feed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from server.resolvers import integration as integration_edges
from server.resolvers import register as register_edges
from server.resolvers.base import Info
from server.schema.base import JSON, UserError
from server.schema.enums import DeliveryState, LinkedSystemKind

if TYPE_CHECKING:
    from server.schema.relation import RelationNode

RelationRef = Annotated["RelationNode", strawberry.lazy("server.schema.relation")]


@strawberry.type(name="LinkedSystem")
class LinkedSystemNode:
    id: strawberry.ID
    name: str
    kind: LinkedSystemKind
    base_url: str
    sso_audience: str = strawberry.field(
        description="The audience of the single-sign-on tokens minted for this system."
    )
    webhook_url: str | None = strawberry.field(
        description="Where relation changes are delivered, signed per the Standard Webhooks spec."
    )
    active: bool


@strawberry.type(name="LinkedAccount")
class LinkedAccountNode:
    id: strawberry.ID
    external_id: str = strawberry.field(description="The relation's id in the linked system.")
    system_id: strawberry.Private[str]
    relation_id: strawberry.Private[str]
    as_of: strawberry.Private[datetime | None]

    @strawberry.field
    async def system(self, info: Info) -> LinkedSystemNode:
        return await integration_edges.system_by_id(info, self.system_id)

    @strawberry.field
    async def relation(self, info: Info) -> RelationRef:
        found = await register_edges.relation_by_id(info, self.relation_id, self.as_of)
        assert found is not None
        return found

    @strawberry.field(
        description="State of the most recent delivery of this relation's changes to the system."
    )
    async def sync_state(self, info: Info) -> DeliveryState:
        return await integration_edges.sync_state(info, self.system_id, self.relation_id)


@strawberry.type(
    description="A short-lived, audience-bound token and the URL that opens the relation in a "
    "linked system."
)
class DrillDown:
    url: str
    token: str
    expires_at: datetime


@strawberry.type(
    name="ChangeEvent",
    description="One change to relation data, as delivered to linked systems and readable as a "
    "feed.",
)
class ChangeEventNode:
    id: strawberry.ID
    sequence: str = strawberry.field(
        description="Monotonic position in the feed; pass it back as `after`."
    )
    type: str
    occurred_at: datetime
    payload: JSON
    relation_id: strawberry.Private[str | None]

    @strawberry.field
    async def relation(self, info: Info) -> RelationRef | None:
        return await register_edges.relation_by_id(info, self.relation_id, None)


@strawberry.type
class LinkedSystemPayload:
    system: LinkedSystemNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LinkedAccountPayload:
    account: LinkedAccountNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DrillDownPayload:
    drill_down: DrillDown | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class LinkedSystemInput:
    name: str
    kind: LinkedSystemKind
    base_url: str
    sso_audience: str
    webhook_url: str | None = strawberry.UNSET
    webhook_secret: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Shared secret for webhook signatures (whsec_...); generated when omitted.",
    )
