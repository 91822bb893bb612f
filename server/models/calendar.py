"""Appointments and the calendar connections they are synchronised with."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.relation import ContactPerson, Relation
from server.models.staff import Employee


class Appointment(Model):
    id = fields.UUIDField(primary_key=True)
    uid = fields.CharField(max_length=255, unique=True)
    title = fields.CharField(max_length=300)
    description = fields.TextField(null=True)
    location = fields.CharField(max_length=300, null=True)
    start = fields.DatetimeField(db_index=True)
    end = fields.DatetimeField()
    all_day = fields.BooleanField(default=False)
    status = fields.CharField(max_length=16, default="PLANNED")
    relation: fields.ForeignKeyNullableRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="appointments",
        null=True,
        on_delete=fields.SET_NULL,
        db_index=True,
    )
    # A recurring event from a calendar keeps its master and overrides here, verbatim.
    recurrence_ical = fields.TextField(null=True)
    sequence = fields.IntField(default=0)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "appointment"


class AppointmentEmployee(Model):
    id = fields.IntField(primary_key=True)
    appointment: fields.ForeignKeyRelation[Appointment] = fields.ForeignKeyField(
        "models.Appointment", related_name="employee_rows", on_delete=fields.CASCADE
    )
    employee: fields.ForeignKeyRelation[Employee] = fields.ForeignKeyField(
        "models.Employee",
        related_name="appointment_rows",
        on_delete=fields.CASCADE,
        db_index=True,
    )

    class Meta:
        table = "appointment_employee"
        unique_together = (("appointment", "employee"),)


class AppointmentContact(Model):
    id = fields.IntField(primary_key=True)
    appointment: fields.ForeignKeyRelation[Appointment] = fields.ForeignKeyField(
        "models.Appointment", related_name="contact_rows", on_delete=fields.CASCADE
    )
    contact: fields.ForeignKeyRelation[ContactPerson] = fields.ForeignKeyField(
        "models.ContactPerson",
        related_name="appointment_rows",
        on_delete=fields.CASCADE,
        db_index=True,
    )

    class Meta:
        table = "appointment_contact"
        unique_together = (("appointment", "contact"),)


class CalendarConnection(Model):
    """A CalDAV calendar of one employee, with its sync state (a small state machine)."""

    id = fields.UUIDField(primary_key=True)
    employee: fields.ForeignKeyRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="calendar_connections", on_delete=fields.CASCADE
    )
    provider = fields.CharField(max_length=16, default="CALDAV")
    url = fields.CharField(max_length=1000)
    username = fields.CharField(max_length=200, null=True)
    password_encrypted = fields.TextField(null=True)
    sync_token = fields.TextField(null=True)
    last_synced_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)
    failure_count = fields.IntField(default=0)
    next_sync_at = fields.DatetimeField(null=True, db_index=True)
    lease_owner = fields.CharField(max_length=64, null=True)
    lease_until = fields.DatetimeField(null=True)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "calendar_connection"


class CalendarSyncItem(Model):
    """Status row per (connection, appointment), after vdirsyncer: href, etag, hashes."""

    id = fields.IntField(primary_key=True)
    connection: fields.ForeignKeyRelation[CalendarConnection] = fields.ForeignKeyField(
        "models.CalendarConnection", related_name="items", on_delete=fields.CASCADE
    )
    appointment: fields.ForeignKeyNullableRelation[Appointment] = fields.ForeignKeyField(
        "models.Appointment", related_name="sync_items", null=True, on_delete=fields.SET_NULL
    )
    uid = fields.CharField(max_length=255)
    href = fields.CharField(max_length=1000, null=True)
    etag = fields.CharField(max_length=255, null=True)
    local_hash = fields.CharField(max_length=64, null=True)
    remote_hash = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "calendar_sync_item"
        unique_together = (("connection", "uid"),)
