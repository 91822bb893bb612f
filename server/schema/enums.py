"""Every enum of the API contract, values named as in ../shared/contract/schema.graphql."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(
    description="Whether a relation is a natural person or an organisation (company, foundation, agency)."
)
class PartyType(Enum):
    PERSON = "PERSON"
    ORGANISATION = "ORGANISATION"


@strawberry.enum(
    description="The roles a relation plays for the office; a relation may have several."
)
class RelationKind(Enum):
    CLIENT = "CLIENT"
    PROSPECT = "PROSPECT"
    SUPPLIER = "SUPPLIER"
    BUSINESS_PARTNER = "BUSINESS_PARTNER"
    AGENCY = strawberry.enum_value(
        "AGENCY",
        description="Uitvoeringsinstantie: a bank, the Belastingdienst, KVK, UWV, a notary ...",
    )
    OTHER = "OTHER"


@strawberry.enum(
    description="What sort of agency (uitvoeringsinstantie) a relation of kind AGENCY is."
)
class AgencyType(Enum):
    BANK = "BANK"
    TAX_AUTHORITY = "TAX_AUTHORITY"
    CHAMBER_OF_COMMERCE = "CHAMBER_OF_COMMERCE"
    EMPLOYEE_INSURANCE_AGENCY = "EMPLOYEE_INSURANCE_AGENCY"
    NOTARY = "NOTARY"
    INSURER = "INSURER"
    PENSION_FUND = "PENSION_FUND"
    MUNICIPALITY = "MUNICIPALITY"
    OTHER = "OTHER"


@strawberry.enum(description="Rechtsvorm as registered in the KVK Handelsregister.")
class LegalForm(Enum):
    EENMANSZAAK = "EENMANSZAAK"
    MAATSCHAP = "MAATSCHAP"
    VOF = "VOF"
    CV = "CV"
    REDERIJ = "REDERIJ"
    BV = "BV"
    NV = "NV"
    SE = strawberry.enum_value("SE", description="Europese naamloze vennootschap.")
    STICHTING = "STICHTING"
    VERENIGING = "VERENIGING"
    VERENIGING_VAN_EIGENAARS = "VERENIGING_VAN_EIGENAARS"
    COOPERATIE = "COOPERATIE"
    SCE = strawberry.enum_value("SCE", description="Europese coöperatieve vennootschap.")
    ONDERLINGE_WAARBORGMAATSCHAPPIJ = "ONDERLINGE_WAARBORGMAATSCHAPPIJ"
    KERKGENOOTSCHAP = "KERKGENOOTSCHAP"
    PUBLIEKRECHTELIJKE_RECHTSPERSOON = "PUBLIEKRECHTELIJKE_RECHTSPERSOON"
    BUITENLANDSE_RECHTSVORM = "BUITENLANDSE_RECHTSVORM"
    OVERIG = "OVERIG"


@strawberry.enum(
    description="Which return the office files: IB (income tax, natural persons and their businesses) or VPB (corporate tax)."
)
class TaxRegime(Enum):
    INCOME_TAX = "INCOME_TAX"
    CORPORATE_TAX = "CORPORATE_TAX"
    NONE = "NONE"


@strawberry.enum
class RelationStatus(Enum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    ARCHIVED = "ARCHIVED"


@strawberry.enum
class AddressType(Enum):
    VISITING = "VISITING"
    POSTAL = "POSTAL"
    REGISTERED_OFFICE = "REGISTERED_OFFICE"


@strawberry.enum
class EntitySize(Enum):
    MICRO = "MICRO"
    SMALL = "SMALL"
    MEDIUM = "MEDIUM"
    LARGE = "LARGE"


@strawberry.enum
class PartnershipType(Enum):
    MARRIED = "MARRIED"
    REGISTERED_PARTNERSHIP = "REGISTERED_PARTNERSHIP"
    COHABITING = "COHABITING"


@strawberry.enum
class RelationLinkType(Enum):
    TAX_OFFICE = "TAX_OFFICE"
    NOTARY = "NOTARY"
    BANK = "BANK"
    INSURER = "INSURER"
    PENSION_FUND = "PENSION_FUND"
    LAWYER = "LAWYER"
    PAYROLL_PROVIDER = "PAYROLL_PROVIDER"
    PREVIOUS_ACCOUNTANT = "PREVIOUS_ACCOUNTANT"
    OTHER = "OTHER"


@strawberry.enum
class CustomFieldTarget(Enum):
    RELATION = "RELATION"
    CONTACT_PERSON = "CONTACT_PERSON"


@strawberry.enum
class CustomFieldType(Enum):
    TEXT = "TEXT"
    NUMBER = "NUMBER"
    DATE = "DATE"
    BOOLEAN = "BOOLEAN"
    CHOICE = "CHOICE"
    MULTI_CHOICE = "MULTI_CHOICE"


@strawberry.enum
class StaffRole(Enum):
    PARTNER = "PARTNER"
    MANAGER = "MANAGER"
    EMPLOYEE = "EMPLOYEE"
    ADMIN = "ADMIN"


@strawberry.enum
class AssignmentRole(Enum):
    RELATION_MANAGER = "RELATION_MANAGER"
    ACCOUNTANT = "ACCOUNTANT"
    TAX_ADVISER = "TAX_ADVISER"
    PAYROLL_ADMINISTRATOR = "PAYROLL_ADMINISTRATOR"
    ASSISTANT = "ASSISTANT"
    OTHER = "OTHER"


@strawberry.enum
class AppointmentStatus(Enum):
    PLANNED = "PLANNED"
    CANCELLED = "CANCELLED"
    DONE = "DONE"


@strawberry.enum
class CalendarProvider(Enum):
    CALDAV = "CALDAV"


@strawberry.enum
class LinkedSystemKind(Enum):
    BOOKKEEPING = "BOOKKEEPING"
    TAX_RETURNS = "TAX_RETURNS"
    PAYROLL = "PAYROLL"
    DOCUMENTS = "DOCUMENTS"
    CLIENT_PORTAL = "CLIENT_PORTAL"
    OTHER = "OTHER"


@strawberry.enum
class DeliveryState(Enum):
    UP_TO_DATE = "UP_TO_DATE"
    PENDING = "PENDING"
    FAILING = "FAILING"
