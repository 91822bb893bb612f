"""Root fields of history: snapshot, verifySnapshots and createSnapshot."""

from __future__ import annotations

import strawberry

from server.auth.permissions import Actor, Permission
from server.resolvers import history as history_edges
from server.resolvers.base import Info, actor_of, mutate
from server.schema.history import SnapshotNode, SnapshotPayload, SnapshotVerification
from server.services import snapshots


@strawberry.type
class Query:
    @strawberry.field
    async def snapshot(self, info: Info, id: strawberry.ID) -> SnapshotNode | None:
        actor_of(info)
        row = await snapshots.snapshot_row(id)
        return SnapshotNode.from_row(row) if row else None

    @strawberry.field(
        description="Recompute the office-wide snapshot chain and name the first broken snapshot."
    )
    async def verify_snapshots(self, info: Info) -> SnapshotVerification:
        actor_of(info, Permission.VERIFY_SNAPSHOTS)
        result = await snapshots.verify_chain()
        return SnapshotVerification(
            ok=result.ok,
            checked=result.checked,
            first_broken_snapshot_id=(
                strawberry.ID(result.first_broken_id) if result.first_broken_id else None
            ),
            head_hash=result.head_hash,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Freeze the relation's card as it is now, chained to the previous snapshot."
    )
    async def create_snapshot(
        self, info: Info, relation_id: strawberry.ID, reason: str
    ) -> SnapshotPayload:
        async def action(actor: Actor) -> dict:
            row = await snapshots.create_snapshot(
                actor, relation_id, reason, history_edges.render_card
            )
            return {"snapshot": SnapshotNode.from_row(row)}

        return await mutate(info, SnapshotPayload, Permission.SNAPSHOT, action)
