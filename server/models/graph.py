"""The relation graph: partners, the client's own relations, shareholdings."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.relation import ContactPerson, Relation


class Partnership(Model):
    """Two PERSON relations as partners, symmetric, until null while current."""

    id = fields.UUIDField(primary_key=True)
    person_a: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="partnerships_a",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    person_b: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="partnerships_b",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    type = fields.CharField(max_length=30)
    fiscal_partner = fields.BooleanField(default=False)
    since = fields.DateField(null=True)
    until = fields.DateField(null=True)

    class Meta:
        table = "partnership"


class RelationLink(Model):
    """A typed edge from a relation to one of its own relations (tax office, notary ...)."""

    id = fields.UUIDField(primary_key=True)
    from_relation: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="links",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    to_relation: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="linked_from",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    type = fields.CharField(max_length=30)
    contact: fields.ForeignKeyNullableRelation[ContactPerson] = fields.ForeignKeyField(
        "models.ContactPerson",
        related_name="link_roles",
        null=True,
        on_delete=fields.SET_NULL,
        db_index=True,
    )
    note = fields.TextField(null=True)
    since = fields.DateField(null=True)
    until = fields.DateField(null=True)

    class Meta:
        table = "relation_link"


class Shareholding(Model):
    """Holder -> subsidiary with a percentage, no cycles, at most 100% held at one time."""

    id = fields.UUIDField(primary_key=True)
    holder: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="participations",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    subsidiary: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="shareholders",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    percentage = fields.DecimalField(max_digits=7, decimal_places=4)
    since = fields.DateField(null=True)
    until = fields.DateField(null=True)
    fiscal_unity_corporate_tax = fields.BooleanField(default=False)
    fiscal_unity_vat = fields.BooleanField(default=False)

    class Meta:
        table = "shareholding"
