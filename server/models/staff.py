"""Office staff, their sign-in data and the relations they serve."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.relation import Relation


class Employee(Model):
    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=320, unique=True)
    role = fields.CharField(max_length=16)
    password_hash = fields.CharField(max_length=200)
    active = fields.BooleanField(default=True)
    failed_logins = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    # Only a hash of the secret ICS feed token is kept.
    ics_token_hash = fields.CharField(max_length=64, null=True, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "employee"


class StaffAssignment(Model):
    id = fields.UUIDField(primary_key=True)
    relation: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="staff",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    employee: fields.ForeignKeyRelation[Employee] = fields.ForeignKeyField(
        "models.Employee",
        related_name="assignments",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    role = fields.CharField(max_length=30)
    since = fields.DateField(null=True)
    until = fields.DateField(null=True)

    class Meta:
        table = "staff_assignment"


class CalendarShare(Model):
    """owner lets viewer see the details of the owner's appointments."""

    id = fields.IntField(primary_key=True)
    owner: fields.ForeignKeyRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="shares_given", on_delete=fields.CASCADE
    )
    viewer: fields.ForeignKeyRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="shares_received", on_delete=fields.CASCADE
    )

    class Meta:
        table = "calendar_share"
        unique_together = (("owner", "viewer"),)


class LoginThrottle(Model):
    """Failed sign-ins per e-mail hash, known account or not, so both answer alike."""

    key = fields.CharField(max_length=64, primary_key=True)
    failures = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "login_throttle"
