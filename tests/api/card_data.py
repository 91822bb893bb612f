"""Build a small and a large relation card directly in the tables (test data only)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from server.auth.passwords import hash_password
from server.models import (
    Address,
    Appointment,
    AppointmentContact,
    AppointmentEmployee,
    ContactPerson,
    CustomFieldDefinition,
    CustomFieldValue,
    Employee,
    LinkedAccount,
    LinkedSystem,
    Relation,
    RelationLink,
    Shareholding,
    StaffAssignment,
)

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
_HASH: list[str] = []


def _hash() -> str:
    if not _HASH:
        _HASH.append(hash_password("not-used-for-sign-in-1"))
    return _HASH[0]


def _relation(name: str, party_type: str = "ORGANISATION", **extra: object) -> Relation:
    rid = uuid.uuid4()
    base: dict[str, object] = {
        "id": rid,
        "number": str(uuid.uuid4().int % 10**9),
        "party_type": party_type,
        "kinds_mask": 1,
        "display_name": name,
        "sort_name": name.lower(),
        "created_at": NOW,
        "updated_at": NOW,
        "tax_regime": "CORPORATE_TAX",
    }
    if party_type == "PERSON":
        base |= {"last_name": name, "tax_regime": "INCOME_TAX"}
    else:
        base |= {"legal_name": name, "legal_form": "BV"}
    return Relation(**(base | extra))


async def build_card(size: dict[str, int]) -> str:
    """A client with `size` contacts, links, staff, appointments; returns its id."""
    client = _relation("Bakkerij De Korenschoof B.V.")
    holding = _relation("Korenschoof Holding B.V.")
    others = [_relation(f"Bank {i}") for i in range(size["links"])]
    subs = [_relation(f"Werkmaatschappij {i} B.V.") for i in range(size["subsidiaries"])]
    await Relation.bulk_create([client, holding, *others, *subs])
    await Address.create(
        id=uuid.uuid4(),
        relation_id=client.id,
        type="VISITING",
        street="Dorpsstraat",
        house_number="1",
        postal_code="1234AB",
        city="Utrecht",
    )
    contacts = [
        ContactPerson(
            id=uuid.uuid4(),
            relation_id=client.id,
            last_name=f"Contact {i}",
            email=f"c{i}@korenschoof.example",
            created_at=NOW,
            is_primary=i == 0,
        )
        for i in range(size["contacts"])
    ]
    await ContactPerson.bulk_create(contacts)
    await RelationLink.bulk_create(
        [
            RelationLink(
                id=uuid.uuid4(), from_relation_id=client.id, to_relation_id=o.id, type="BANK"
            )
            for o in others
        ]
    )
    await Shareholding.bulk_create(
        [
            Shareholding(
                id=uuid.uuid4(),
                holder_id=holding.id,
                subsidiary_id=client.id,
                percentage=Decimal(100),
            ),
            *[
                Shareholding(
                    id=uuid.uuid4(), holder_id=client.id, subsidiary_id=s.id, percentage=Decimal(60)
                )
                for s in subs
            ],
        ]
    )
    staff = [
        Employee(
            id=uuid.uuid4(),
            name=f"Medewerker {i}",
            email=f"{uuid.uuid4().hex}@k.example",
            role="EMPLOYEE",
            password_hash=_hash(),
            created_at=NOW,
        )
        for i in range(size["staff"])
    ]
    await Employee.bulk_create(staff)
    await StaffAssignment.bulk_create(
        [
            StaffAssignment(
                id=uuid.uuid4(), relation_id=client.id, employee_id=e.id, role="ACCOUNTANT"
            )
            for e in staff
        ]
    )
    appointments = [
        Appointment(
            id=uuid.uuid4(),
            uid=f"{uuid.uuid4()}@test",
            title=f"Overleg {i}",
            start=NOW + timedelta(hours=i),
            end=NOW + timedelta(hours=i, minutes=30),
            relation_id=client.id,
            created_at=NOW,
            updated_at=NOW,
        )
        for i in range(size["appointments"])
    ]
    await Appointment.bulk_create(appointments)
    await AppointmentEmployee.bulk_create(
        [
            AppointmentEmployee(appointment_id=a.id, employee_id=staff[i % len(staff)].id)
            for i, a in enumerate(appointments)
        ]
    )
    await AppointmentContact.bulk_create(
        [
            AppointmentContact(appointment_id=a.id, contact_id=contacts[i % len(contacts)].id)
            for i, a in enumerate(appointments)
        ]
    )
    definition = await CustomFieldDefinition.create(
        id=uuid.uuid4(),
        key=f"hectares_{uuid.uuid4().hex[:6]}",
        label="Hectares",
        target="RELATION",
        type="NUMBER",
        group="Agrarisch",
        created_at=NOW,
    )
    await CustomFieldValue.create(
        id=uuid.uuid4(), definition_id=definition.id, relation_id=client.id, value={"v": 12}
    )
    system = await LinkedSystem.create(
        id=uuid.uuid4(),
        name="Boekhouding",
        kind="BOOKKEEPING",
        base_url="https://boekhouding.example",
        sso_audience="boekhouding",
        created_at=NOW,
    )
    await LinkedAccount.create(
        id=uuid.uuid4(),
        system_id=system.id,
        relation_id=client.id,
        external_id="K-1",
        created_at=NOW,
    )
    return str(client.id)


SMALL = {"contacts": 1, "links": 1, "subsidiaries": 1, "staff": 1, "appointments": 1}
LARGE = {"contacts": 500, "links": 100, "subsidiaries": 20, "staff": 50, "appointments": 2000}
