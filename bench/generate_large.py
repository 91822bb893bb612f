"""One LARGE relation for the card benchmark: `python -m bench.generate_large --db URL`.

Adds to a register made by bench.generate: an organisation with 500 contact persons, 100
links to other relations, 50 staff, 2,000 appointments (with their employees and contacts),
a group of companies (a holding above it, subsidiaries and sub-subsidiaries below), custom
fields on the relation and on its contacts, three linked systems with an account each, and
two snapshots. Rows go in with executemany, as in bench.generate (no history rows); the
accounts and snapshots go through the services, because they are few and the snapshot
chain must hold. Deterministic for a given seed and register.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.connection import get_connection

from bench.generate import Generator, _insert, analyze
from server import db
from server.auth import passwords
from server.auth.permissions import SYSTEM_ACTOR
from server.models import (
    Address,
    Appointment,
    AppointmentContact,
    AppointmentEmployee,
    ContactPerson,
    Counter,
    CustomFieldDefinition,
    CustomFieldValue,
    CustomFieldValueKey,
    Employee,
    Relation,
    RelationLink,
    RelationSearchToken,
    Shareholding,
    StaffAssignment,
)
from server.services.assignments import ASSIGNMENT_ROLES
from server.services.custom_field_types import index_keys
from server.services.links import LINK_TYPES
from server.services.numbering import RELATION_COUNTER, relation_number
from server.services.search_index import token_rows

CONTACTS, LINKS, STAFF, APPOINTMENTS = 500, 100, 50, 2000
TITLES = ("Jaarrekening", "Aangifte VPB", "Loonadministratie", "Kwartaaloverleg", "Adviesgesprek")
# (key, label, type, group, choices): values for the relation and for each contact.
Field = tuple[str, str, str, str | None, list[str]]
RELATION_FIELDS: tuple[Field, ...] = (
    ("fiscaal_nummer_intern", "Intern dossiernummer", "TEXT", "Administratie", []),
    ("omzet_categorie", "Omzetcategorie", "CHOICE", "Fiscaal", ["<1M", "1-10M", ">10M"]),
    ("werknemers", "Aantal werknemers", "NUMBER", "Administratie", []),
    ("boekjaar_afgesloten", "Boekjaar afgesloten", "BOOLEAN", "Fiscaal", []),
    ("klant_sinds", "Klant sinds", "DATE", None, []),
    ("diensten", "Diensten", "MULTI_CHOICE", "Dienstverlening", ["IB", "VPB", "LH", "JR"]),
)
CONTACT_FIELDS: tuple[Field, ...] = (
    ("nieuwsbrief", "Nieuwsbrief", "BOOLEAN", None, []),
    ("voorkeurstaal", "Voorkeurstaal", "CHOICE", None, ["nl", "en", "de"]),
)
# The group: (holder, percentage) per company; holder None: it holds the large relation (a
# holding), -1: held by the large relation, n: held by the n-th company of this list.
GROUP = ((None, 100), (-1, 100), (-1, 60), (-1, 51), (1, 100), (1, 75))


def _uuid(gen: Generator) -> uuid.UUID:
    return uuid.UUID(int=gen.rng.getrandbits(128), version=4)


async def large_relation_id() -> str | None:
    """The relation with the most contact persons, when it has the large card's 500."""
    conn = get_connection("default")
    rows = await conn.execute_query_dict(
        "SELECT relation_id, COUNT(*) AS n FROM contact_person GROUP BY relation_id "
        "ORDER BY n DESC LIMIT 1"
    )
    if rows and int(rows[0]["n"]) >= CONTACTS:
        return str(rows[0]["relation_id"])
    return None


async def add_large(seed: int = 7) -> str:
    """Write the large relation and its edges; returns its id."""
    if await large_relation_id():
        raise SystemExit("the register already holds the large relation")
    gen = Generator(seed)
    count = await Relation.all().count()
    companies = [await _organisation(gen, count + 1 + i) for i in range(1 + len(GROUP))]
    large = companies[0]
    contacts = [gen._contact(large, i) for i in range(CONTACTS)]
    large["sbr_filing_contact_id"] = contacts[0]["id"]
    for company in companies:
        addresses = gen._addresses(company, gen.samples.place())
        await _insert(Relation, [company])
        await _insert(Address, addresses)
        mine = contacts if company is large else []
        await _insert(ContactPerson, mine)
        await _insert(RelationSearchToken, token_rows(company, addresses, mine))
    await Counter.filter(name=RELATION_COUNTER).update(value=count + len(companies))
    await _insert(Shareholding, _group(gen, companies))
    await _insert(RelationLink, await _links(gen, large))
    employees = await _staff(gen, large)
    await _appointments(gen, large, employees, contacts)
    await _custom_fields(gen, large, contacts)
    await _accounts_and_snapshots(str(large["id"]))
    return str(large["id"])


async def _organisation(gen: Generator, index: int) -> dict[str, Any]:
    """A relation row like bench.generate's, always a B.V. with a KvK number still free."""
    while True:
        row, _, _ = gen.relation(index - 1)
        wanted = row["party_type"] == "ORGANISATION" and row["legal_form"] == "BV"
        if wanted and not await Relation.exists(kvk_number=row["kvk_number"]):
            break
    row.update(number=relation_number(index), status="ACTIVE", kinds_mask=1, archived_at=None)
    return row


def _group(gen: Generator, companies: list[dict]) -> list[dict]:
    large, rows = companies[0], []
    for position, (holder, percentage) in enumerate(GROUP):
        company = companies[position + 1]
        if holder is None:  # the holding holds the large relation
            pair = (company, large)
        else:
            pair = (large if holder == -1 else companies[holder + 1], company)
        rows.append(
            {
                "id": _uuid(gen),
                "holder_id": pair[0]["id"],
                "subsidiary_id": pair[1]["id"],
                "percentage": percentage,
                "since": date(2015, 1, 1),
                "until": None,
                "fiscal_unity_corporate_tax": percentage == 100,
                "fiscal_unity_vat": False,
            }
        )
    return rows


async def _links(gen: Generator, large: dict) -> list[dict]:
    others = await (
        Relation.filter(party_type="ORGANISATION").order_by("number").limit(LINKS).values("id")
    )
    firsts = {
        str(r["relation_id"]): r["id"]
        for r in await ContactPerson.filter(
            relation_id__in=[o["id"] for o in others], is_primary=True
        ).values("id", "relation_id")
    }
    return [
        {
            "id": _uuid(gen),
            "from_relation_id": large["id"],
            "to_relation_id": other["id"],
            "type": LINK_TYPES[i % len(LINK_TYPES)],
            "contact_id": firsts.get(str(other["id"])),
            "note": f"Dossier {1000 + i}" if i % 3 == 0 else None,
            "since": date(2010, 1, 1) + timedelta(days=30 * i),
            "until": None,
        }
        for i, other in enumerate(others)
    ]


async def _staff(gen: Generator, large: dict) -> list[uuid.UUID]:
    # One real hash for all: argon2 takes tens of milliseconds per call.
    password_hash = passwords.hash_password(f"Bench-{gen.rng.getrandbits(64):x}-Staff")
    employees: list[dict[str, Any]] = []
    for n in range(STAFF):
        name = gen.samples.person_name()
        employees.append(
            {
                "id": _uuid(gen),
                "name": f"{name['givenName']} {name['prefix'] or ''} {name['lastName']}".replace(
                    "  ", " "
                ),
                "email": f"medewerker{n + 1}.groot@kantoor.example",
                "role": ("EMPLOYEE", "MANAGER", "PARTNER")[n % 3],
                "password_hash": password_hash,
                "active": True,
                "failed_logins": 0,
                "created_at": gen.now,
            }
        )
    await _insert(Employee, employees)
    await _insert(
        StaffAssignment,
        [
            {
                "id": _uuid(gen),
                "relation_id": large["id"],
                "employee_id": e["id"],
                "role": ASSIGNMENT_ROLES[n % len(ASSIGNMENT_ROLES)],
                "since": date(2018, 1, 1) + timedelta(days=11 * n),
                "until": None,
            }
            for n, e in enumerate(employees)
        ],
    )
    return [e["id"] for e in employees]


async def _appointments(
    gen: Generator, large: dict, employees: list[uuid.UUID], contacts: list[dict]
) -> None:
    rng, first = gen.rng, datetime(2024, 1, 1, 8, tzinfo=UTC)
    rows, staff_rows, contact_rows = [], [], []
    for n in range(APPOINTMENTS):
        start = first + timedelta(days=rng.randrange(4 * 365), hours=rng.randrange(9))
        row_id = _uuid(gen)
        rows.append(
            {
                "id": row_id,
                "uid": f"{row_id}@relatiebeheer",
                "title": rng.choice(TITLES),
                "description": None,
                "location": rng.choice((None, "Kantoor", "Bij de klant", "Teams")),
                "start": start,
                "end": start + timedelta(minutes=rng.choice((30, 60, 90))),
                "all_day": False,
                "status": "CANCELLED" if n % 20 == 0 else "PLANNED",
                "relation_id": large["id"],
                "recurrence_ical": None,
                "sequence": 0,
                "created_at": gen.now,
                "updated_at": gen.now,
            }
        )
        for employee in rng.sample(employees, rng.choice((1, 1, 2))):
            staff_rows.append({"appointment_id": row_id, "employee_id": employee})
        if rng.random() < 0.5:
            contact_rows.append(
                {"appointment_id": row_id, "contact_id": rng.choice(contacts)["id"]}
            )
    await _insert(Appointment, rows)
    await _insert(AppointmentEmployee, staff_rows)
    await _insert(AppointmentContact, contact_rows)


async def _custom_fields(gen: Generator, large: dict, contacts: list[dict]) -> None:
    definitions = {}
    for target, fields in (("RELATION", RELATION_FIELDS), ("CONTACT_PERSON", CONTACT_FIELDS)):
        for position, (key, label, kind, group, choices) in enumerate(fields):
            found = await CustomFieldDefinition.get_or_none(target=target, key=key)
            if found is None:
                found = await CustomFieldDefinition.create(
                    id=_uuid(gen), key=key, label=label, target=target, type=kind,
                    choices=choices, group=group, position=position, created_at=gen.now,
                )  # fmt: skip
            definitions[(target, key)] = found
    values, keys = [], []
    owners: list[tuple[str, dict, dict | None]] = [("RELATION", large, None)]
    owners += [("CONTACT_PERSON", large, c) for c in contacts]
    for target, relation, contact in owners:
        for (owner_target, _), definition in definitions.items():
            if owner_target != target:
                continue
            value = _value(gen, definition.type, definition.choices)
            value_id = _uuid(gen)
            values.append(
                {
                    "id": value_id,
                    "definition_id": definition.id,
                    "relation_id": None if contact else relation["id"],
                    "contact_id": contact["id"] if contact else None,
                    "value": {"v": value},
                }
            )
            keys += [
                {"value_id": value_id, "definition_id": definition.id,
                 "relation_id": relation["id"], "key": key}
                for key in index_keys(definition.type, value)
            ]  # fmt: skip
    await _insert(CustomFieldValue, values)
    await _insert(CustomFieldValueKey, keys)


def _value(gen: Generator, kind: str, choices: list[str]) -> Any:
    rng = gen.rng
    if kind == "MULTI_CHOICE":  # in the definition's order, as the service stores them
        chosen = set(rng.sample(choices, 2))
        return [c for c in choices if c in chosen]
    return {
        "TEXT": f"D-{rng.randrange(10**6):06d}",
        "NUMBER": rng.randrange(1, 500),
        "BOOLEAN": rng.random() < 0.5,
        "DATE": (date(2000, 1, 1) + timedelta(days=rng.randrange(9000))).isoformat(),
        "CHOICE": rng.choice(choices) if choices else None,
    }[kind]


async def _accounts_and_snapshots(relation_id: str) -> None:
    import server.schema  # noqa: F401 - the schema before the resolvers (import order)
    from server.resolvers.history import render_card
    from server.services import linked_accounts, linked_systems, snapshots

    for n, kind in enumerate(("BOOKKEEPING", "TAX_RETURNS", "PAYROLL")):
        data = {"name": f"Systeem {kind.lower()}", "kind": kind,
                "baseUrl": f"https://{kind.lower()}.example.nl",
                "ssoAudience": f"https://{kind.lower()}.example.nl"}  # fmt: skip
        found = await linked_systems.register_linked_system(SYSTEM_ACTOR, data)
        system_id = str(found.row["id"])
        await linked_accounts.link_account(SYSTEM_ACTOR, relation_id, system_id, f"K{9000 + n}")
    for reason in ("Jaarafsluiting 2024", "Overdracht dossier"):
        await snapshots.create_snapshot(SYSTEM_ACTOR, relation_id, reason, render_card)


async def write(url: str, seed: int) -> str:
    await db.init(url)
    try:
        relation_id = await add_large(seed)
        await analyze()
        return relation_id
    finally:
        await db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="sqlite:///path or postgres://...")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    relation_id = asyncio.run(write(args.db, args.seed))
    print(f"large relation {relation_id} written in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
