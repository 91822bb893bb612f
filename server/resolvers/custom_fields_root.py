"""Root fields (Query/Mutation) of custom fields; picked up by server/schema/__init__.py."""

from __future__ import annotations

from typing import Annotated

import strawberry

from server.auth.permissions import Permission
from server.models import CustomFieldDefinition
from server.resolvers.base import Info, actor_of, mutate, to_dict
from server.resolvers.custom_fields import DEFINITION_COLUMNS, definition_order
from server.resolvers.register import relation_by_id
from server.schema.custom_fields import (
    CustomFieldDefinitionInput,
    CustomFieldDefinitionNode,
    CustomFieldDefinitionPayload,
    CustomFieldUpdateInput,
    CustomFieldValueInput,
)
from server.schema.enums import CustomFieldTarget
from server.schema.register_inputs import RelationPayload
from server.services import custom_field_definitions, custom_fields
from server.services.custom_field_types import TARGETS
from server.services.unit import row_state


def _node(definition: CustomFieldDefinition) -> CustomFieldDefinitionNode:
    return CustomFieldDefinitionNode.from_row(row_state(definition))


@strawberry.type
class Query:
    @strawberry.field(
        description="The office's custom fields, ordered by target (RELATION first), group "
        "(ungrouped first), position and label; active ones only unless includeInactive."
    )
    async def custom_field_definitions(
        self,
        info: Info,
        target: CustomFieldTarget | None = strawberry.UNSET,
        include_inactive: Annotated[
            bool | None, strawberry.argument(description="Also list deactivated fields.")
        ] = False,
    ) -> list[CustomFieldDefinitionNode]:
        actor_of(info)
        query = CustomFieldDefinition.all()
        if target:
            query = query.filter(target=target.value)
        if not include_inactive:
            query = query.filter(active=True)
        rows = sorted(
            await query.values(*DEFINITION_COLUMNS),
            key=lambda row: (TARGETS.index(row["target"]), *definition_order(row)),
        )
        return [CustomFieldDefinitionNode.from_row(row) for row in rows]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Define an office field (administrators only).")
    async def define_custom_field(
        self, info: Info, input: CustomFieldDefinitionInput
    ) -> CustomFieldDefinitionPayload:
        async def action(actor):
            definition = await custom_field_definitions.define(actor, to_dict(input))
            return {"definition": _node(definition)}

        return await mutate(
            info, CustomFieldDefinitionPayload, Permission.MANAGE_CUSTOM_FIELDS, action
        )

    @strawberry.mutation(
        description="Relabel, regroup, reorder, retype, change the choices of, deactivate or "
        "reactivate an office field (administrators only); stored values are kept."
    )
    async def update_custom_field(
        self, info: Info, id: strawberry.ID, input: CustomFieldUpdateInput
    ) -> CustomFieldDefinitionPayload:
        async def action(actor):
            definition = await custom_field_definitions.update(actor, str(id), to_dict(input))
            return {"definition": _node(definition)}

        return await mutate(
            info, CustomFieldDefinitionPayload, Permission.MANAGE_CUSTOM_FIELDS, action
        )

    @strawberry.mutation(
        description="Set a relation's custom values; a null value clears one. Every active "
        "required field must hold a value afterwards."
    )
    async def set_custom_fields(
        self, info: Info, relation_id: strawberry.ID, values: list[CustomFieldValueInput]
    ) -> RelationPayload:
        async def action(actor):
            found = await custom_fields.set_custom_fields(actor, str(relation_id), to_dict(values))
            return {"relation": await relation_by_id(info, found, None)}

        return await mutate(info, RelationPayload, Permission.WRITE_RELATIONS, action)
