"""Linked systems, the outbox of change events and their deliveries."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.relation import Relation


class LinkedSystem(Model):
    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=200)
    kind = fields.CharField(max_length=20)
    base_url = fields.CharField(max_length=500)
    sso_audience = fields.CharField(max_length=300)
    url_template = fields.CharField(max_length=500, null=True)
    webhook_url = fields.CharField(max_length=500, null=True)
    webhook_secret_encrypted = fields.TextField(null=True)
    allow_bsn = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)
    disabled_reason = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "linked_system"


class LinkedAccount(Model):
    id = fields.UUIDField(primary_key=True)
    system: fields.ForeignKeyRelation[LinkedSystem] = fields.ForeignKeyField(
        "models.LinkedSystem", related_name="accounts", on_delete=fields.CASCADE
    )
    relation: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="accounts",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    external_id = fields.CharField(max_length=200)
    created_at = fields.DatetimeField()

    class Meta:
        table = "linked_account"
        unique_together = (("system", "external_id"),)


class ChangeEvent(Model):
    """The outbox and change feed, sequence is monotonic and is the feed position."""

    sequence = fields.BigIntField(primary_key=True, generated=True)
    id = fields.UUIDField(unique=True)
    type = fields.CharField(max_length=60)
    relation_id = fields.UUIDField(null=True, db_index=True)
    actor_id = fields.UUIDField(null=True)
    occurred_at = fields.DatetimeField()
    payload = fields.JSONField()

    class Meta:
        table = "change_event"


class Delivery(Model):
    """One event for one system: its state, the body sent, and when to try next."""

    id = fields.BigIntField(primary_key=True, generated=True)
    event: fields.ForeignKeyRelation[ChangeEvent] = fields.ForeignKeyField(
        "models.ChangeEvent", related_name="deliveries", on_delete=fields.CASCADE
    )
    system: fields.ForeignKeyRelation[LinkedSystem] = fields.ForeignKeyField(
        "models.LinkedSystem", related_name="deliveries", on_delete=fields.CASCADE
    )
    relation_id = fields.UUIDField(null=True)
    body = fields.TextField()
    state = fields.CharField(max_length=16, default="PENDING", db_index=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_status_code = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "delivery"
        unique_together = (("event", "system"),)
        indexes = (("system_id", "state", "event_id"), ("relation_id", "system_id"))


class DeliveryAttempt(Model):
    id = fields.BigIntField(primary_key=True, generated=True)
    delivery: fields.ForeignKeyRelation[Delivery] = fields.ForeignKeyField(
        "models.Delivery", related_name="attempt_rows", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField()
    status_code = fields.IntField(null=True)
    error = fields.CharField(max_length=300, null=True)
    duration_ms = fields.IntField(default=0)

    class Meta:
        table = "delivery_attempt"


class WorkerLease(Model):
    """Who runs a background loop now, makes background work run once across workers."""

    name = fields.CharField(max_length=64, primary_key=True)
    owner = fields.CharField(max_length=64)
    until = fields.DatetimeField()

    class Meta:
        table = "worker_lease"
