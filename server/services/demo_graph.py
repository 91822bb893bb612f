"""The demo office's relation graph: partners, groups, own relations and staff.

`seed_graph(relation_ids)` is called by the demo seeder after it created the register's
demo relations. Every write goes through the graph services (validated, with history and
events); a write the rules refuse is skipped, so the seeder never half-fails. Running it
twice adds nothing the second time.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from server.errors import DomainError, DomainErrors
from server.models import ContactPerson, Employee, Relation, Shareholding
from server.services import assignments, links, partners, shareholdings
from server.services.relation_rows import KIND_BITS

AGENCY_LINKS = {
    "TAX_AUTHORITY": "TAX_OFFICE",
    "BANK": "BANK",
    "NOTARY": "NOTARY",
    "INSURER": "INSURER",
    "PENSION_FUND": "PENSION_FUND",
}
CAPITAL_COMPANIES = {"BV", "NV", "SE", None}


@dataclass
class Cast:
    """The demo relations sorted by the part they can play in the graph."""

    persons: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    agencies: dict[str, list[str]] = field(default_factory=dict)
    others: list[str] = field(default_factory=list)


async def _cast(relation_ids: Iterable[Any]) -> Cast:
    ids = [str(r["id"] if isinstance(r, dict) else getattr(r, "id", r)) for r in relation_ids]
    rows = (
        await Relation.filter(id__in=ids)
        .order_by("number")
        .values("id", "party_type", "kinds_mask", "agency_type", "legal_form")
    )
    cast = Cast()
    for row in rows:
        rid = str(row["id"])
        if row["agency_type"] or row["kinds_mask"] & KIND_BITS["AGENCY"]:
            cast.agencies.setdefault(row["agency_type"] or "OTHER", []).append(rid)
        elif row["party_type"] == "PERSON":
            cast.persons.append(rid)
        elif row["legal_form"] in CAPITAL_COMPANIES:
            cast.companies.append(rid)
        else:
            cast.others.append(rid)
    return cast


async def _try(write: Any) -> bool:
    try:
        await write
    except (DomainError, DomainErrors):
        return False
    return True


async def _partnerships(cast: Cast, rng: random.Random, wanted: int = 30) -> int:
    persons = cast.persons[:]
    rng.shuffle(persons)
    done = 0
    for a, b in zip(persons[0::2], persons[1::2], strict=False):
        if done >= wanted:
            break
        kind = rng.choice(["MARRIED", "MARRIED", "REGISTERED_PARTNERSHIP", "COHABITING"])
        fiscal = kind != "COHABITING" or rng.random() < 0.5
        since = date(rng.randint(1985, 2022), rng.randint(1, 12), 1)
        done += await _try(partners.set_partnership(None, a, b, kind, fiscal, since))
    return done


async def _hold(holder: str, subsidiary: str, percentage: str, fiscal: bool = False) -> bool:
    return await _try(
        shareholdings.add_shareholding(
            None, holder, subsidiary, Decimal(percentage), None, fiscal, fiscal
        )
    )


async def _groups(cast: Cast, rng: random.Random) -> int:
    """DGA -> personal holding BV -> werkmaatschappijen; the first group three levels deep."""
    companies, added = cast.companies[:], 0
    dgas = cast.persons[: max(1, len(companies) // 4)] if cast.persons else []
    for n, dga in enumerate(dgas):
        if len(companies) < 2:
            break
        holding = companies.pop(0)
        added += await _hold(dga, holding, "100")
        parent = holding
        for _ in range(min(len(companies), rng.randint(1, 3))):
            werk = companies.pop(0)
            added += await _hold(parent, werk, "100", fiscal=True)
            if n == 0 and companies:  # one deeper group: werk -> its own subsidiary
                added += await _hold(werk, companies.pop(0), "60")
    return added


async def _links(cast: Cast, clients: Sequence[str], rng: random.Random) -> int:
    added = 0
    for agency_type, link_type in AGENCY_LINKS.items():
        agencies = cast.agencies.get(agency_type, [])
        if not agencies:
            continue
        contacts = await _first_contacts(agencies)
        for client in clients:
            if link_type not in {"TAX_OFFICE", "BANK"} and rng.random() < 0.5:
                continue
            agency = rng.choice(agencies)
            added += await _try(
                links.link_relation(None, client, agency, link_type, contacts.get(agency))
            )
    return added


async def _first_contacts(relation_ids: list[str]) -> dict[str, str]:
    rows = (
        await ContactPerson.filter(relation_id__in=relation_ids)
        .order_by("-is_primary", "last_name")
        .values("id", "relation_id")
    )
    found: dict[str, str] = {}
    for row in rows:
        found.setdefault(str(row["relation_id"]), str(row["id"]))
    return found


async def _staff(clients: Sequence[str], rng: random.Random) -> int:
    employees = [
        str(e)
        for e in await Employee.filter(active=True).order_by("name").values_list("id", flat=True)
    ]
    if not employees:
        return 0
    added = 0
    for client in clients:
        manager, accountant = rng.sample(employees, 2) if len(employees) > 1 else employees * 2
        added += await _try(assignments.assign_staff(None, client, manager, "RELATION_MANAGER"))
        added += await _try(assignments.assign_staff(None, client, accountant, "ACCOUNTANT"))
    return added


async def seed_graph(relations: Iterable[Any]) -> str:
    """Partners, groups, links to tax office/bank/notary and staff for the demo relations.

    `relations`: ids, rows with an "id" or models. Skipped when the graph is already seeded.
    """
    if await Shareholding.all().exists():
        return "demo graph already present"
    rng = random.Random(2026)  # noqa: S311 -- repeatable demo data, not a secret
    cast = await _cast(relations)
    clients = cast.persons + cast.companies + cast.others
    counts = (
        await _partnerships(cast, rng),
        await _groups(cast, rng),
        await _links(cast, clients, rng),
        await _staff(clients, rng),
    )
    return "demo graph: {} partnerships, {} shareholdings, {} links, {} assignments".format(*counts)
