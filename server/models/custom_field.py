"""Office-defined fields on relations and contact persons."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.relation import ContactPerson, Relation


class CustomFieldDefinition(Model):
    id = fields.UUIDField(primary_key=True)
    key = fields.CharField(max_length=64)
    label = fields.CharField(max_length=200)
    target = fields.CharField(max_length=20)
    type = fields.CharField(max_length=20)
    choices = fields.JSONField(default=list)
    required = fields.BooleanField(default=False)
    group = fields.CharField(max_length=100, null=True)
    active = fields.BooleanField(default=True)
    position = fields.IntField(default=0)
    created_at = fields.DatetimeField()

    class Meta:
        table = "custom_field_definition"
        unique_together = (("target", "key"),)


class CustomFieldValue(Model):
    """One value of one definition on one relation or contact (exactly one owner set)."""

    id = fields.UUIDField(primary_key=True)
    definition: fields.ForeignKeyRelation[CustomFieldDefinition] = fields.ForeignKeyField(
        "models.CustomFieldDefinition", related_name="values", on_delete=fields.CASCADE
    )
    relation: fields.ForeignKeyNullableRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="custom_values",
        null=True,
        on_delete=fields.CASCADE,
        db_index=True,
    )
    contact: fields.ForeignKeyNullableRelation[ContactPerson] = fields.ForeignKeyField(
        "models.ContactPerson",
        related_name="custom_values",
        null=True,
        on_delete=fields.CASCADE,
        db_index=True,
    )
    value = fields.JSONField(null=True)

    class Meta:
        table = "custom_field_value"
        unique_together = (("definition", "relation", "contact"),)


class CustomFieldValueKey(Model):
    """Index rows for filtering: one canonical key per value (one per choice of a multi-choice)."""

    id = fields.IntField(primary_key=True)
    value: fields.ForeignKeyRelation[CustomFieldValue] = fields.ForeignKeyField(
        "models.CustomFieldValue", related_name="keys", on_delete=fields.CASCADE
    )
    definition_id = fields.UUIDField()
    relation_id = fields.UUIDField(null=True)
    key = fields.CharField(max_length=255)

    class Meta:
        table = "custom_field_value_key"
        indexes = (("definition_id", "key"),)
