"""Root fields of the register: relation, relationByNumber, relations; relation mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from server.resolvers.base import Info, actor_of
from server.resolvers.register import relation_by_id
from server.schema.relation import RelationNode


def _uuid_or_none(value: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


@strawberry.type
class Query:
    @strawberry.field
    async def relation(
        self,
        info: Info,
        id: strawberry.ID,
        as_of: Annotated[
            datetime | None, strawberry.argument(description="The card as it was at this moment.")
        ] = None,
    ) -> RelationNode | None:
        actor_of(info)
        relation_id = _uuid_or_none(id)
        if relation_id is None:
            return None
        return await relation_by_id(info, relation_id, as_of)
