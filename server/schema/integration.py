"""Linked systems, accounts, single-sign-on drill-down and the change feed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from server.resolvers import integration as integration_edges
from server.resolvers import register as register_edges
from server.resolvers.base import Info
from server.schema.base import JSON, UserError
from server.schema.enums import DeliveryState, LinkedSystemKind
from server.services.linked_systems import DEFAULT_URL_TEMPLATE

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
    url_template: str = strawberry.field(
        description="The drill-down URL: {baseUrl}, {externalId} and {relationNumber} are filled "
        "in; the token is appended as the fragment `#token=...`."
    )
    allow_bsn: bool = strawberry.field(
        description="Whether webhooks to this system carry the relation's BSN in clear."
    )
    disabled_reason: str | None = strawberry.field(
        description="Why the system is inactive, e.g. its endpoint answered 410 Gone."
    )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LinkedSystemNode:
        return cls(
            id=strawberry.ID(str(row["id"])),
            name=row["name"],
            kind=LinkedSystemKind(row["kind"]),
            base_url=row["base_url"],
            sso_audience=row["sso_audience"],
            webhook_url=row["webhook_url"],
            active=row["active"],
            url_template=row["url_template"] or DEFAULT_URL_TEMPLATE,
            allow_bsn=row["allow_bsn"],
            disabled_reason=row["disabled_reason"],
        )


@strawberry.type(name="LinkedAccount")
class LinkedAccountNode:
    id: strawberry.ID
    external_id: str = strawberry.field(description="The relation's id in the linked system.")
    system_id: strawberry.Private[str]
    relation_id: strawberry.Private[str]
    as_of: strawberry.Private[datetime | None]

    @classmethod
    def from_row(cls, row: dict[str, Any], as_of: datetime | None) -> LinkedAccountNode:
        return cls(
            id=strawberry.ID(str(row["id"])),
            external_id=row["external_id"],
            system_id=str(row["system_id"]),
            relation_id=str(row["relation_id"]),
            as_of=as_of,
        )

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
    webhook_secret: str | None = strawberry.field(
        default=None,
        description="The webhook secret the server generated in this call (registration "
        "without a secret, or regenerateWebhookSecret). Shown this once: store it now.",
    )


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
    url_template: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Drill-down URL with {baseUrl}, {externalId}, {relationNumber}; default "
        "{baseUrl}/relations/{externalId}.",
    )
    allow_bsn: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Send the BSN in clear in this system's webhooks (only where a law "
        "provides for it). Default false.",
    )


@strawberry.input(description="The fields to change; omitted fields stay as they are.")
class LinkedSystemUpdateInput:
    name: str | None = strawberry.UNSET
    kind: LinkedSystemKind | None = strawberry.UNSET
    base_url: str | None = strawberry.UNSET
    sso_audience: str | None = strawberry.UNSET
    webhook_url: str | None = strawberry.field(
        default=strawberry.UNSET, description="null stops webhooks to this system."
    )
    url_template: str | None = strawberry.UNSET
    allow_bsn: bool | None = strawberry.UNSET
    active: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="false cancels pending deliveries; true resumes delivery of new changes.",
    )
    webhook_secret: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new shared secret (whsec_...)."
    )
    regenerate_webhook_secret: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Generate a new secret, returned once in the payload's webhookSecret.",
    )
