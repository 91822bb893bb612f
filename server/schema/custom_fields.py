"""Office-defined fields: definitions and values."""

from __future__ import annotations

from typing import Any

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
    position: int = strawberry.field(
        description="Order within the group; fields show ordered by group, position, label."
    )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CustomFieldDefinitionNode:
        return cls(
            id=strawberry.ID(str(row["id"])),
            key=row["key"],
            label=row["label"],
            target=CustomFieldTarget(row["target"]),
            type=CustomFieldType(row["type"]),
            choices=list(row["choices"] or []),
            required=bool(row["required"]),
            group=row["group"],
            active=bool(row["active"]),
            position=int(row["position"]),
        )


@strawberry.type(
    name="CustomFieldValue",
    description="A value that is set (null values are not listed), of an active definition.",
)
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


@strawberry.input(
    description="Changes to a custom field definition; only the fields given change. The key "
    "and target never change. Stored values are kept: a type or choices change that would "
    "invalidate a stored value is refused with CONFLICT."
)
class CustomFieldUpdateInput:
    label: str | None = strawberry.UNSET
    type: CustomFieldType | None = strawberry.UNSET
    choices: list[str] | None = strawberry.UNSET
    required: bool | None = strawberry.UNSET
    group: str | None = strawberry.UNSET
    active: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="False hides the field and its values and refuses new values; the "
        "values are kept and show again when it is active again.",
    )
    position: int | None = strawberry.UNSET
