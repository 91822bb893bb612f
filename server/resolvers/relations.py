"""Root fields of the register: relation, relationByNumber, relations; relation and contact
person mutations. Thin: parse arguments, check permission, call a service, map errors."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any

import strawberry

from server.auth.permissions import Actor, Permission
from server.errors import DomainError, DomainErrors
from server.models import Relation
from server.resolvers.base import ApiError, Info, actor_of, mutate, selects, to_dict
from server.resolvers.register import (
    RELATION_COLUMNS,
    fresh_contact,
    fresh_relation,
    relation_by_id,
    relations_by_id,
)
from server.schema.base import DeletePayload, PageInfo
from server.schema.register_inputs import (
    ContactPersonInput,
    ContactPersonPayload,
    RelationConnection,
    RelationFilter,
    RelationInput,
    RelationPayload,
)
from server.schema.relation import RelationEdge, RelationNode, relation_from_row
from server.services import contacts, relations
from server.services import search as search_service

NUMBER = re.compile(r"[0-9A-Za-z-]{1,20}")


def _uuid_or_none(value: str) -> str | None:
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

    @strawberry.field
    async def relation_by_number(self, info: Info, number: str) -> RelationNode | None:
        actor_of(info)
        number = number.strip()
        if not NUMBER.fullmatch(number):  # no relation has it; keeps odd text from the database
            return None
        found = await Relation.filter(number=number).values_list("id", flat=True)
        return await relation_by_id(info, str(found[0]), None) if found else None

    @strawberry.field(
        description="Search by name, relation number, KvK/RSIN/btw number, contact name or "
        "e-mail, postal code. `first` is clamped to 100; archived relations only show when "
        "the filter asks for status ARCHIVED."
    )
    async def relations(
        self,
        info: Info,
        search: str | None = None,
        filter: RelationFilter | None = None,
        first: int | None = 25,
        after: str | None = None,
    ) -> RelationConnection:
        actor_of(info)
        try:
            page = await search_page(
                search, to_dict(filter) if filter else None, first, after,
                count=selects(info, "totalCount"),
            )  # fmt: skip
        except (DomainError, DomainErrors) as error:
            first_error = error.errors[0] if isinstance(error, DomainErrors) else error
            raise ApiError(first_error.code, first_error.message) from None
        loader = info.context.loaders.of(relations_by_id, None)
        edges = []
        for row in page.rows:
            loader.prime(str(row["id"]), row)  # the card's edges may ask for it again
            cursor = search_service.encode_cursor(row["sort_name"], row["id"])
            edges.append(RelationEdge(cursor=cursor, node=relation_from_row(row)))
        return RelationConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            total_count=page.total_count or 0,  # 0 only when it was not asked for
        )


async def search_page(
    text: str | None,
    filters: dict[str, Any] | None,
    first: int | None,
    after: str | None,
    *,
    count: bool = True,
) -> search_service.Page:
    return await search_service.search_relations(
        text, filters, first, after, RELATION_COLUMNS, count=count
    )


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_relation(self, info: Info, input: RelationInput) -> RelationPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            rid = await relations.create_relation(actor, to_dict(input))
            return {"relation": await fresh_relation(info, rid)}

        return await mutate(info, RelationPayload, Permission.WRITE_RELATIONS, action)

    @strawberry.mutation
    async def update_relation(
        self, info: Info, id: strawberry.ID, input: RelationInput
    ) -> RelationPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            rid = await relations.update_relation(actor, id, to_dict(input))
            return {"relation": await fresh_relation(info, rid)}

        return await mutate(info, RelationPayload, Permission.WRITE_RELATIONS, action)

    @strawberry.mutation
    async def archive_relation(self, info: Info, id: strawberry.ID) -> RelationPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            rid = await relations.archive_relation(actor, id)
            return {"relation": await fresh_relation(info, rid)}

        return await mutate(info, RelationPayload, Permission.WRITE_RELATIONS, action)

    @strawberry.mutation
    async def add_contact_person(
        self, info: Info, relation_id: strawberry.ID, input: ContactPersonInput
    ) -> ContactPersonPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            cid = await contacts.add_contact(actor, relation_id, to_dict(input))
            return {"contact": await fresh_contact(info, cid)}

        return await mutate(info, ContactPersonPayload, Permission.WRITE_RELATIONS, action)

    @strawberry.mutation
    async def update_contact_person(
        self, info: Info, id: strawberry.ID, input: ContactPersonInput
    ) -> ContactPersonPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            cid = await contacts.update_contact(actor, id, to_dict(input))
            return {"contact": await fresh_contact(info, cid)}

        return await mutate(info, ContactPersonPayload, Permission.WRITE_RELATIONS, action)

    @strawberry.mutation
    async def remove_contact_person(self, info: Info, id: strawberry.ID) -> DeletePayload:
        async def action(actor: Actor) -> dict[str, Any]:
            cid = await contacts.remove_contact(actor, id)
            return {"deleted_id": strawberry.ID(cid)}

        return await mutate(info, DeletePayload, Permission.WRITE_RELATIONS, action)
