"""History versions, frozen snapshots and their verification."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry

from server.resolvers import graph as graph_edges
from server.resolvers import history as history_edges
from server.resolvers import register as register_edges
from server.resolvers.base import Info
from server.schema.base import JSON, UserError

if TYPE_CHECKING:
    from server.schema.relation import RelationNode
    from server.schema.staff import EmployeeNode

RelationRef = Annotated["RelationNode", strawberry.lazy("server.schema.relation")]
EmployeeRef = Annotated["EmployeeNode", strawberry.lazy("server.schema.staff")]


@strawberry.type(name="Version")
class VersionNode:
    at: datetime
    changes: JSON = strawberry.field(description="What changed: field -> [old, new].")
    entity: str = strawberry.field(
        description="What was written: relation, address, contact, partnership, link, "
        "shareholding, assignment, custom_value, appointment, ..."
    )
    entity_id: strawberry.ID
    op: str = strawberry.field(description="create, update or delete.")
    actor_id: strawberry.Private[str | None]

    @strawberry.field
    async def actor(self, info: Info) -> EmployeeRef | None:
        if self.actor_id is None:
            return None
        return await graph_edges.employee_by_id(info, self.actor_id)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> VersionNode:
        actor = row["actor_id"]
        return cls(
            at=row["at"],
            changes=row["changes"],
            entity=row["entity"],
            entity_id=strawberry.ID(str(row["entity_id"])),
            op=row["op"],
            actor_id=str(actor) if actor is not None else None,
        )


@strawberry.type(
    name="Snapshot",
    description="A frozen, immutable copy of a relation card at one moment, e.g. for an audit.",
)
class SnapshotNode:
    id: strawberry.ID
    taken_at: datetime
    reason: str
    content_hash: str = strawberry.field(
        description="SHA-256 over the card and the previous snapshot's hash: a tamper-evident "
        "chain."
    )
    previous_hash: str | None
    position: int = strawberry.field(description="Place in the office-wide chain, from 1.")
    relation_id: strawberry.Private[str]
    taken_by_id: strawberry.Private[str | None]
    card_text: strawberry.Private[str | None]
    bsn_encrypted: strawberry.Private[str | None]

    @strawberry.field(
        description="The complete relation card as it was, in the shape of the RelationCard "
        "operation."
    )
    async def card(self, info: Info) -> JSON:
        text = self.card_text
        if text is None:
            text = await history_edges.card_text(info, self.id)
        return cast(JSON, json.loads(text or "null"))

    @strawberry.field
    async def relation(self, info: Info) -> RelationRef:
        found = await register_edges.relation_by_id(info, self.relation_id, None)
        assert found is not None
        return found

    @strawberry.field
    async def taken_by(self, info: Info) -> EmployeeRef | None:
        if self.taken_by_id is None:
            return None
        return await graph_edges.employee_by_id(info, self.taken_by_id)

    @strawberry.field(
        description="The relation's BSN when the snapshot was taken. Null unless the viewer "
        "holds the permission to see it; every read is audited."
    )
    async def bsn(self, info: Info) -> str | None:
        return await history_edges.snapshot_bsn(info, self, self.relation_id)

    @strawberry.field(
        description="The partner's BSN when the snapshot was taken, under the same rule as `bsn`."
    )
    async def partner_bsn(self, info: Info) -> str | None:
        return await history_edges.snapshot_bsn(info, self, self._partner_id())

    def _partner_id(self) -> str | None:
        if self.bsn_encrypted is None:
            return None
        others = [k for k in json.loads(self.bsn_encrypted) if k != self.relation_id]
        return others[0] if others else None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SnapshotNode:
        taken_by = row["taken_by_id"]
        return cls(
            id=strawberry.ID(str(row["id"])),
            taken_at=row["taken_at"],
            reason=row["reason"],
            content_hash=row["content_hash"],
            previous_hash=row["previous_hash"],
            position=int(row["position"]),
            relation_id=str(row["relation_id"]),
            taken_by_id=str(taken_by) if taken_by is not None else None,
            card_text=row.get("card"),
            bsn_encrypted=row.get("bsn_encrypted"),
        )


@strawberry.type
class SnapshotVerification:
    ok: bool
    checked: int = strawberry.field(
        description="Snapshots examined in chain order (the broken one included)."
    )
    first_broken_snapshot_id: strawberry.ID | None = None
    head_hash: str | None = strawberry.field(
        default=None,
        description="content_hash of the last snapshot that verified; keep it outside the "
        "database to detect a rewritten tail later.",
    )


@strawberry.type
class SnapshotPayload:
    snapshot: SnapshotNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
