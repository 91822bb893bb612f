"""History (field-level versions with full state), snapshots and the audit log."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Version(Model):
    """One write to one entity: who, when, what changed, and the full state after it.

    relation_id (and other_relation_id for edges between two relations) make the
    versions of a card findable, state is what asOf reads back (null after a delete).
    """

    id = fields.BigIntField(primary_key=True, generated=True)
    at = fields.DatetimeField()
    actor_id = fields.UUIDField(null=True)
    entity = fields.CharField(max_length=40)
    entity_id = fields.CharField(max_length=64)
    relation_id = fields.UUIDField(null=True)
    other_relation_id = fields.UUIDField(null=True)
    op = fields.CharField(max_length=10)
    changes = fields.JSONField()
    state = fields.JSONField(null=True)

    class Meta:
        table = "version"
        indexes = (
            ("relation_id", "at"),
            ("other_relation_id", "at"),
            ("entity", "entity_id", "at"),
        )


class Snapshot(Model):
    """A frozen card: canonical JSON text, chained by SHA-256. Triggers refuse UPDATE/DELETE."""

    id = fields.UUIDField(primary_key=True)
    position = fields.BigIntField(unique=True)
    relation_id = fields.UUIDField(db_index=True)
    taken_at = fields.DatetimeField()
    taken_by_id = fields.UUIDField(null=True)
    reason = fields.TextField()
    card = fields.TextField()
    bsn_encrypted = fields.TextField(null=True)
    content_hash = fields.CharField(max_length=64)
    previous_hash = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "snapshot"


class AuditEntry(Model):
    """A read of sensitive data (a full BSN): who, when, which relation."""

    id = fields.BigIntField(primary_key=True, generated=True)
    at = fields.DatetimeField()
    actor_id = fields.UUIDField(null=True)
    action = fields.CharField(max_length=40)
    relation_id = fields.UUIDField(null=True, db_index=True)
    detail = fields.CharField(max_length=300, null=True)

    class Meta:
        table = "audit_entry"


class CardStamp(Model):
    """A random stamp per relation, renewed in the transaction of every write that touches it.

    The card cache (server/card_cache.py) keeps, with each cached card, the stamps of every
    relation the card shows, read before the card was built; a card whose stamps all still
    match was built after the last write to anything it shows. The all-zero id stands for
    office-wide data (employees, custom field definitions, linked systems).
    """

    relation_id = fields.UUIDField(primary_key=True)
    stamp = fields.BigIntField()

    class Meta:
        table = "card_stamp"
