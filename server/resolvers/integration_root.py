"""Root fields of linked systems: the systems, the change feed, linking and drill-down."""

from __future__ import annotations

from typing import Any

import strawberry

from server.auth.permissions import Actor, Permission
from server.errors import DomainError
from server.models import LinkedSystem
from server.resolvers.base import ApiError, Info, actor_of, mutate, to_dict
from server.schema.base import JSON
from server.schema.integration import (
    ChangeEventNode,
    DrillDown,
    DrillDownPayload,
    LinkedAccountNode,
    LinkedAccountPayload,
    LinkedSystemInput,
    LinkedSystemNode,
    LinkedSystemPayload,
    LinkedSystemUpdateInput,
)
from server.services import change_feed, linked_accounts, linked_systems


def _system_fields(result: linked_systems.SystemResult) -> dict[str, Any]:
    return {
        "system": LinkedSystemNode.from_row(result.row),
        "webhook_secret": result.generated_secret,
    }


@strawberry.type
class Query:
    @strawberry.field
    async def linked_systems(self, info: Info) -> list[LinkedSystemNode]:
        actor_of(info, Permission.READ_LINKED_SYSTEMS)
        rows = (
            await LinkedSystem.all().order_by("name", "id").values(*linked_systems.SYSTEM_COLUMNS)
        )
        return [LinkedSystemNode.from_row(r) for r in rows]

    @strawberry.field(description="The change feed for integrators that pull.")
    async def changes(
        self, info: Info, after: str | None = None, first: int | None = 100
    ) -> list[ChangeEventNode]:
        actor_of(info, Permission.READ_CHANGES)
        try:
            items = await change_feed.changes(after, first)
        except DomainError as error:
            raise ApiError(error.code, error.message) from None
        return [
            ChangeEventNode(
                id=strawberry.ID(item.id),
                sequence=item.sequence,
                type=item.type,
                occurred_at=item.occurred_at,
                payload=JSON(item.payload),
                relation_id=item.relation_id,
            )
            for item in items
        ]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def register_linked_system(
        self, info: Info, input: LinkedSystemInput
    ) -> LinkedSystemPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            return _system_fields(
                await linked_systems.register_linked_system(actor, to_dict(input))
            )

        return await mutate(info, LinkedSystemPayload, Permission.MANAGE_LINKED_SYSTEMS, action)

    @strawberry.mutation(description="Change a linked system; omitted fields stay as they are.")
    async def update_linked_system(
        self, info: Info, id: strawberry.ID, input: LinkedSystemUpdateInput
    ) -> LinkedSystemPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            return _system_fields(
                await linked_systems.update_linked_system(actor, str(id), to_dict(input))
            )

        return await mutate(info, LinkedSystemPayload, Permission.MANAGE_LINKED_SYSTEMS, action)

    @strawberry.mutation(
        description="Stop delivering changes to a system; its pending deliveries are cancelled."
    )
    async def deactivate_linked_system(self, info: Info, id: strawberry.ID) -> LinkedSystemPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            return _system_fields(await linked_systems.deactivate_linked_system(actor, str(id)))

        return await mutate(info, LinkedSystemPayload, Permission.MANAGE_LINKED_SYSTEMS, action)

    @strawberry.mutation
    async def link_account(
        self, info: Info, relation_id: strawberry.ID, system_id: strawberry.ID, external_id: str
    ) -> LinkedAccountPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            row = await linked_accounts.link_account(
                actor, str(relation_id), str(system_id), external_id
            )
            return {"account": LinkedAccountNode.from_row(row, None)}

        return await mutate(info, LinkedAccountPayload, Permission.WRITE_RELATIONS, action)

    @strawberry.mutation(
        description="Mint a short-lived token for the system's audience and the URL that opens "
        "this relation there."
    )
    async def drill_down(self, info: Info, account_id: strawberry.ID) -> DrillDownPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            result = await linked_accounts.drill_down(actor, str(account_id))
            return {
                "drill_down": DrillDown(
                    url=result.url, token=result.token, expires_at=result.expires_at
                )
            }

        return await mutate(info, DrillDownPayload, Permission.DRILL_DOWN, action)
