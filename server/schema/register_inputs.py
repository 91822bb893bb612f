"""Inputs, payloads and the connection of the register (relations and contact persons).

Every input field defaults to UNSET so that `to_dict` leaves out what the client did not
send: updateRelation and updateContactPerson change only the fields that were given.
"""

from __future__ import annotations

from datetime import date

import strawberry

from server.schema.base import PageInfo, UserError
from server.schema.custom_fields import CustomFieldValueInput
from server.schema.enums import (
    AddressType,
    AgencyType,
    EntitySize,
    LegalForm,
    PartyType,
    RelationKind,
    RelationStatus,
    TaxRegime,
)
from server.schema.relation import ContactPersonNode, RelationEdge, RelationNode

UNSET = strawberry.UNSET


@strawberry.input
class AddressInput:
    type: AddressType
    street: str
    house_number: str
    house_number_addition: str | None = UNSET
    postal_code: str
    city: str
    country_code: str | None = "NL"


@strawberry.input
class PersonInput:
    initials: str | None = UNSET
    first_names: str | None = UNSET
    given_name: str | None = UNSET
    prefix: str | None = UNSET
    last_name: str
    date_of_birth: date | None = UNSET
    bsn: str | None = UNSET


@strawberry.input
class OrganisationInput:
    legal_name: str
    trade_names: list[str] | None = UNSET
    kvk_number: str | None = UNSET
    establishment_number: str | None = UNSET
    rsin: str | None = UNSET
    vat_number: str | None = UNSET
    payroll_tax_number: str | None = UNSET
    sbi_codes: list[str] | None = UNSET
    founded_on: date | None = UNSET


@strawberry.input
class SbrProfileInput:
    registered_seat: str | None = UNSET
    size_category: EntitySize | None = UNSET
    financial_year_start: str | None = UNSET
    reporting_currency: str | None = UNSET
    consolidates: bool | None = UNSET
    filing_contact_id: strawberry.ID | None = UNSET


@strawberry.input(
    description="For createRelation every field listed as required applies; for updateRelation "
    "all fields are optional and only those given change."
)
class RelationInput:
    party_type: PartyType | None = UNSET
    kinds: list[RelationKind] | None = UNSET
    agency_type: AgencyType | None = UNSET
    status: RelationStatus | None = UNSET
    legal_form: LegalForm | None = UNSET
    tax_regime: TaxRegime | None = UNSET
    person: PersonInput | None = UNSET
    organisation: OrganisationInput | None = UNSET
    sbr: SbrProfileInput | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    website: str | None = UNSET
    addresses: list[AddressInput] | None = UNSET
    custom_fields: list[CustomFieldValueInput] | None = UNSET


@strawberry.input
class ContactPersonInput:
    initials: str | None = UNSET
    first_name: str | None = UNSET
    prefix: str | None = UNSET
    last_name: str | None = UNSET
    department: str | None = UNSET
    job_title: str | None = UNSET
    phone: str | None = UNSET
    mobile: str | None = UNSET
    email: str | None = UNSET
    is_primary: bool | None = UNSET
    person_id: strawberry.ID | None = strawberry.field(
        default=UNSET,
        description="Link to an existing PERSON relation instead of repeating the person's data.",
    )
    custom_fields: list[CustomFieldValueInput] | None = UNSET


@strawberry.input
class RelationFilter:
    kinds: list[RelationKind] | None = UNSET
    party_type: PartyType | None = UNSET
    status: RelationStatus | None = UNSET
    legal_form: LegalForm | None = UNSET
    assigned_to: strawberry.ID | None = UNSET
    custom_field: CustomFieldValueInput | None = strawberry.field(
        default=UNSET, description="Custom field key and the value it must equal."
    )


@strawberry.type
class RelationConnection:
    edges: list[RelationEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class RelationPayload:
    relation: RelationNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ContactPersonPayload:
    contact: ContactPersonNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
