"""Tortoise models, no business rules beyond field constraints (services hold those)."""

from server.models.calendar import (
    Appointment,
    AppointmentContact,
    AppointmentEmployee,
    CalendarConnection,
    CalendarSyncItem,
)
from server.models.custom_field import CustomFieldDefinition, CustomFieldValue, CustomFieldValueKey
from server.models.graph import Partnership, RelationLink, Shareholding
from server.models.history import AuditEntry, CardStamp, Snapshot, Version
from server.models.integration import (
    ChangeEvent,
    Delivery,
    DeliveryAttempt,
    LinkedAccount,
    LinkedSystem,
    WorkerLease,
)
from server.models.relation import Address, ContactPerson, Counter, Relation, RelationSearchToken
from server.models.staff import CalendarShare, Employee, LoginThrottle, StaffAssignment

__all__ = [
    "Address",
    "Appointment",
    "AppointmentContact",
    "AppointmentEmployee",
    "AuditEntry",
    "CalendarConnection",
    "CalendarShare",
    "CalendarSyncItem",
    "CardStamp",
    "ChangeEvent",
    "ContactPerson",
    "Counter",
    "CustomFieldDefinition",
    "CustomFieldValue",
    "CustomFieldValueKey",
    "Delivery",
    "DeliveryAttempt",
    "Employee",
    "LinkedAccount",
    "LinkedSystem",
    "LoginThrottle",
    "Partnership",
    "Relation",
    "RelationLink",
    "RelationSearchToken",
    "Shareholding",
    "Snapshot",
    "StaffAssignment",
    "Version",
    "WorkerLease",
]
