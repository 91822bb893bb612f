"""Office-defined fields: definitions and values."""

from __future__ import annotations

import strawberry

from server.schema.base import JSON, UserError
from server.schema.enums import CustomFieldTarget, CustomFieldType


@strawberry.type(name="CustomFieldDefinition")
class CustomFieldDefinitionNode:
    id: strawberry.ID
    key: str = strawberry.field(description="Stable machine name, e.g. 'hectares'.")
    label: str
    target: CustomFieldTarget
    type: CustomFieldType
    choices: list[str]
    required: bool
    group: str | None = strawberry.field(
        description="A set of fields that belong together, e.g. 'Agrarisch' or 'Horeca'."
    )
    active: bool


@strawberry.type(name="CustomFieldValue")
class CustomFieldValueNode:
    definition: CustomFieldDefinitionNode
    value: JSON | None = strawberry.field(
        description="The value in the JSON form of its type: string, number, ISO date, boolean, "
        "or list of strings."
    )


@strawberry.type
class CustomFieldDefinitionPayload:
    definition: CustomFieldDefinitionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CustomFieldValueInput:
    key: str
    value: JSON | None = strawberry.field(default=None, description="Null clears the value.")


@strawberry.input
class CustomFieldDefinitionInput:
    key: str
    label: str
    target: CustomFieldTarget
    type: CustomFieldType
    choices: list[str] | None = strawberry.UNSET
    required: bool | None = False
    group: str | None = strawberry.UNSET
