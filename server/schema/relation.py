"""The relation card's types. Leaf fields are plain attributes filled from one row dict
(`from_row`); only edges have (async) resolvers, each loading through a DataLoader.

`as_of` (private) travels from a relation to its edges so that a card asked `asOf` a
moment answers every nested field as of that same moment.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from server.resolvers import calendar as calendar_edges
from server.resolvers import custom_fields as custom_edges
from server.resolvers import graph as graph_edges
from server.resolvers import history as history_edges
from server.resolvers import integration as integration_edges
from server.resolvers import register as register_edges
from server.resolvers.base import Info
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
from server.schema.enums import (
    RelationLinkType as LinkTypeEnum,
)
from server.services import identifiers
from server.services.card_stamps import note
from server.services.relation_rows import kinds_from_mask

if TYPE_CHECKING:
    from server.schema.calendar import AppointmentNode
    from server.schema.custom_fields import CustomFieldValueNode
    from server.schema.graph import (
        PartnershipNode,
        RelationLinkNode,
        ShareholdingNode,
        StaffAssignmentNode,
    )
    from server.schema.history import SnapshotNode, VersionNode
    from server.schema.integration import LinkedAccountNode

AppointmentRef = Annotated["AppointmentNode", strawberry.lazy("server.schema.calendar")]
CustomValueRef = Annotated["CustomFieldValueNode", strawberry.lazy("server.schema.custom_fields")]
PartnershipRef = Annotated["PartnershipNode", strawberry.lazy("server.schema.graph")]
LinkRef = Annotated["RelationLinkNode", strawberry.lazy("server.schema.graph")]
ShareholdingRef = Annotated["ShareholdingNode", strawberry.lazy("server.schema.graph")]
AssignmentRef = Annotated["StaffAssignmentNode", strawberry.lazy("server.schema.graph")]
SnapshotRef = Annotated["SnapshotNode", strawberry.lazy("server.schema.history")]
VersionRef = Annotated["VersionNode", strawberry.lazy("server.schema.history")]
AccountRef = Annotated["LinkedAccountNode", strawberry.lazy("server.schema.integration")]


@strawberry.type(name="Address")
class AddressNode:
    id: strawberry.ID
    type: AddressType
    street: str
    house_number: str
    house_number_addition: str | None
    postal_code: str
    city: str
    country_code: str = strawberry.field(description="ISO 3166-1 alpha-2, NL by default.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AddressNode:
        country = row["country_code"]
        return cls(
            id=strawberry.ID(str(row["id"])),
            type=AddressType(row["type"]),
            street=row["street"],
            house_number=row["house_number"],
            house_number_addition=row["house_number_addition"],
            postal_code=identifiers.format_postal_code(row["postal_code"], country),
            city=row["city"],
            country_code=country,
        )


@strawberry.type(name="PersonDetails")
class PersonDetails:
    initials: str | None
    first_names: str | None
    given_name: str | None = strawberry.field(description="Roepnaam.")
    prefix: str | None = strawberry.field(description="Tussenvoegsel, e.g. 'van der'.")
    last_name: str
    date_of_birth: date | None
    bsn_masked: str | None = strawberry.field(
        description="Last digits only, for recognising a person without exposing the BSN."
    )
    relation_id: strawberry.Private[str]
    bsn_encrypted: strawberry.Private[str | None]

    @strawberry.field(
        description="Burgerservicenummer. Null unless the viewer holds the permission to see "
        "it; every read is audited."
    )
    async def bsn(self, info: Info) -> str | None:
        return await register_edges.reveal_bsn(info, self.relation_id, self.bsn_encrypted)


@strawberry.type(name="OrganisationDetails")
class OrganisationDetails:
    legal_name: str
    trade_names: list[str]
    kvk_number: str | None = strawberry.field(description="KVK-nummer, 8 digits.")
    establishment_number: str | None = strawberry.field(description="Vestigingsnummer, 12 digits.")
    rsin: str | None = strawberry.field(description="RSIN, 9 digits, 11-proef.")
    vat_number: str | None = strawberry.field(
        description="Btw-identificatienummer, NL999999999B99."
    )
    payroll_tax_number: str | None = strawberry.field(
        description="Loonheffingennummer, e.g. 123456789L01."
    )
    sbi_codes: list[str] = strawberry.field(
        description="SBI activity codes (Standaard Bedrijfsindeling)."
    )
    founded_on: date | None


@strawberry.type(
    name="SbrProfile",
    description="Fixed company data that prefill SBR filings (annual report deposit at KVK, "
    "credit report to banks).",
)
class SbrProfile:
    registered_seat: str | None = strawberry.field(description="Statutaire zetel.")
    size_category: EntitySize | None
    financial_year_start: str | None = strawberry.field(
        description="First day of the financial year, as month and day (e.g. 01-01)."
    )
    reporting_currency: str
    consolidates: bool | None = strawberry.field(
        description="Whether the entity reports consolidated figures for its group."
    )
    filing_contact_id: strawberry.Private[str | None]
    as_of: strawberry.Private[datetime | None]

    @strawberry.field(description="The contact person for filings.")
    async def filing_contact(self, info: Info) -> ContactPersonNode | None:
        return await register_edges.contact_by_id(info, self.filing_contact_id, self.as_of)


@strawberry.type(name="ContactPerson")
class ContactPersonNode:
    id: strawberry.ID
    initials: str | None
    first_name: str | None
    prefix: str | None
    last_name: str
    display_name: str
    department: str | None
    job_title: str | None = strawberry.field(description="Functie.")
    phone: str | None
    mobile: str | None
    email: str | None
    is_primary: bool
    relation_id: strawberry.Private[str]
    person_id: strawberry.Private[str | None]
    as_of: strawberry.Private[datetime | None]
    # Edges the parent already loaded for a whole list (resolvers.base.prefetch).
    loaded: strawberry.Private[dict[str, Any]] = dataclasses.field(default_factory=dict)

    @strawberry.field
    async def relation(self, info: Info) -> RelationNode:
        found = await register_edges.relation_by_id(info, self.relation_id, self.as_of)
        assert found is not None
        return found

    @strawberry.field(
        description="The natural-person relation this contact is, when the same human is also "
        "a relation (an IB client, a DGA): stored once, shown everywhere."
    )
    async def person(self, info: Info) -> RelationNode | None:
        return await register_edges.relation_by_id(info, self.person_id, self.as_of)

    @strawberry.field
    def custom_fields(self, info: Info) -> list[CustomValueRef]:
        if "customFields" in self.loaded:
            return self.loaded["customFields"]
        return custom_edges.contact_values(info, self.id, self.as_of)  # type: ignore[return-value]


@strawberry.type(name="Relation")
class RelationNode:
    id: strawberry.ID
    number: str = strawberry.field(description="Relatienummer: unique, shown to people.")
    display_name: str
    party_type: PartyType
    kinds: list[RelationKind]
    agency_type: AgencyType | None
    status: RelationStatus
    legal_form: LegalForm | None
    tax_regime: TaxRegime
    person: PersonDetails | None
    organisation: OrganisationDetails | None
    sbr: SbrProfile | None
    email: str | None
    phone: str | None
    website: str | None
    created_at: datetime
    updated_at: datetime
    as_of: strawberry.Private[datetime | None]

    @strawberry.field
    async def addresses(self, info: Info) -> list[AddressNode]:
        return await register_edges.addresses(info, self.id, self.as_of)

    @strawberry.field
    async def contacts(self, info: Info) -> list[ContactPersonNode]:
        return await register_edges.contacts(info, self.id, self.as_of)

    @strawberry.field(
        description="For a PERSON: where this person is a contact person of other relations."
    )
    async def contact_roles(self, info: Info) -> list[ContactPersonNode]:
        return await register_edges.contact_roles(info, self.id, self.as_of)

    @strawberry.field(
        description="The partner of a natural person (spouse, registered or cohabiting partner)."
    )
    async def partnership(self, info: Info) -> PartnershipRef | None:
        return await graph_edges.partnership(info, self.id, self.as_of)

    @strawberry.field(description="This relation's own relations: its tax office, notary, bank ...")
    async def links(self, info: Info, types: list[LinkTypeEnum] | None = None) -> list[LinkRef]:
        return await graph_edges.links(info, self.id, self.as_of, types)

    @strawberry.field(
        description="Relations that link to this one, e.g. all clients whose notary this is."
    )
    async def linked_from(
        self, info: Info, types: list[LinkTypeEnum] | None = None
    ) -> list[LinkRef]:
        return await graph_edges.linked_from(info, self.id, self.as_of, types)

    @strawberry.field(description="Who holds shares in this relation.")
    async def shareholders(self, info: Info) -> list[ShareholdingRef]:
        return await graph_edges.shareholders(info, self.id, self.as_of)

    @strawberry.field(description="Where this relation holds shares.")
    async def participations(self, info: Info) -> list[ShareholdingRef]:
        return await graph_edges.participations(info, self.id, self.as_of)

    @strawberry.field(
        description="The whole group this relation belongs to, from the ultimate parents down, "
        "as edges."
    )
    async def group(self, info: Info) -> list[ShareholdingRef]:
        return await graph_edges.group(info, self.id, self.as_of)

    @strawberry.field
    async def staff(self, info: Info) -> list[AssignmentRef]:
        return await graph_edges.staff(info, self.id, self.as_of)

    @strawberry.field
    async def appointments(
        self,
        info: Info,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> list[AppointmentRef]:
        return await calendar_edges.relation_appointments(info, self.id, self.as_of, from_, to)

    @strawberry.field(
        description="This relation's administrations in linked systems, with single-sign-on "
        "drill-down."
    )
    async def accounts(self, info: Info) -> list[AccountRef]:
        return await integration_edges.accounts(info, self.id, self.as_of)

    @strawberry.field
    async def custom_fields(self, info: Info) -> list[CustomValueRef]:
        return await custom_edges.relation_values(info, self.id, self.as_of)

    @strawberry.field
    async def versions(self, info: Info, first: int | None = 20) -> list[VersionRef]:
        return await history_edges.versions(info, self.id, self.as_of, first)

    @strawberry.field
    async def snapshots(self, info: Info) -> list[SnapshotRef]:
        return await history_edges.snapshots(info, self.id, self.as_of)


@strawberry.type
class RelationEdge:
    cursor: str
    node: RelationNode


def relation_from_row(row: dict[str, Any], as_of: datetime | None = None) -> RelationNode:
    """The card's identity section from one `relation` row (live or from history)."""
    rid = str(row["id"])
    note(rid)
    is_person = row["party_type"] == "PERSON"
    person = None
    organisation = None
    if is_person:
        last = row.get("bsn_last_digits")
        person = PersonDetails(
            initials=row["initials"],
            first_names=row["first_names"],
            given_name=row["given_name"],
            prefix=row["prefix"],
            last_name=row["last_name"] or "",
            date_of_birth=_date(row["date_of_birth"]),
            bsn_masked=f"*****{last}" if last else None,
            relation_id=rid,
            bsn_encrypted=row.get("bsn_encrypted"),
        )
    else:
        organisation = OrganisationDetails(
            legal_name=row["legal_name"] or "",
            trade_names=list(row["trade_names"] or []),
            kvk_number=row["kvk_number"],
            establishment_number=row["establishment_number"],
            rsin=row["rsin"],
            vat_number=row["vat_number"],
            payroll_tax_number=row["payroll_tax_number"],
            sbi_codes=list(row["sbi_codes"] or []),
            founded_on=_date(row["founded_on"]),
        )
    size = row["sbr_size_category"]
    sbr = SbrProfile(
        registered_seat=row["sbr_registered_seat"],
        size_category=EntitySize(size) if size else None,
        financial_year_start=row["sbr_financial_year_start"],
        reporting_currency=row["sbr_reporting_currency"] or "EUR",
        consolidates=row["sbr_consolidates"],
        filing_contact_id=_str(row["sbr_filing_contact_id"]),
        as_of=as_of,
    )
    legal_form = row["legal_form"]
    agency = row["agency_type"]
    phone = row["phone"]
    return RelationNode(
        id=strawberry.ID(rid),
        number=row["number"],
        display_name=row["display_name"],
        party_type=PartyType(row["party_type"]),
        kinds=[RelationKind(k) for k in kinds_from_mask(row["kinds_mask"])],
        agency_type=AgencyType(agency) if agency else None,
        status=RelationStatus(row["status"]),
        legal_form=LegalForm(legal_form) if legal_form else None,
        tax_regime=TaxRegime(row["tax_regime"]),
        person=person,
        organisation=organisation,
        sbr=sbr,
        email=row["email"],
        phone=identifiers.format_phone(phone) if phone else None,
        website=row["website"],
        created_at=_datetime(row["created_at"]),
        updated_at=_datetime(row["updated_at"]),
        as_of=as_of,
    )


def contact_from_row(row: dict[str, Any], as_of: datetime | None = None) -> ContactPersonNode:
    note(row.get("relation_id"), row.get("person_id"))
    parts = [row["first_name"] or row["initials"], row["prefix"], row["last_name"]]
    phone, mobile = row["phone"], row["mobile"]
    return ContactPersonNode(
        id=strawberry.ID(str(row["id"])),
        initials=row["initials"],
        first_name=row["first_name"],
        prefix=row["prefix"],
        last_name=row["last_name"],
        display_name=" ".join(p for p in parts if p),
        department=row["department"],
        job_title=row["job_title"],
        phone=identifiers.format_phone(phone) if phone else None,
        mobile=identifiers.format_phone(mobile) if mobile else None,
        email=row["email"],
        is_primary=bool(row["is_primary"]),
        relation_id=str(row["relation_id"]),
        person_id=_str(row["person_id"]),
        as_of=as_of,
    )


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)
