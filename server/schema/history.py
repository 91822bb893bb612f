"""History versions, frozen snapshots and their verification."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from server.resolvers import graph as graph_edges
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
    actor_id: strawberry.Private[str | None]

    @strawberry.field
    async def actor(self, info: Info) -> EmployeeRef | None:
        if self.actor_id is None:
            return None
        return await graph_edges.employee_by_id(info, self.actor_id)


@strawberry.type(
    name="Snapshot",
    description="A frozen, immutable copy of a relation card at one moment, e.g. for an audit.",
)
class SnapshotNode:
    id: strawberry.ID
    taken_at: datetime
    reason: str
    card: JSON = strawberry.field(
        description="The complete relation card as it was, in the shape of the RelationCard "
        "operation."
    )
    content_hash: str = strawberry.field(
        description="SHA-256 over the card and the previous snapshot's hash: a tamper-evident "
        "chain."
    )
    previous_hash: str | None
    relation_id: strawberry.Private[str]
    taken_by_id: strawberry.Private[str | None]

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


@strawberry.type
class SnapshotVerification:
    ok: bool
    checked: int
    first_broken_snapshot_id: strawberry.ID | None = None


@strawberry.type
class SnapshotPayload:
    snapshot: SnapshotNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
