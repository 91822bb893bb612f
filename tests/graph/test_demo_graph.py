"""The demo graph: believable partners, groups, own relations and staff, seeded once."""

from __future__ import annotations

from server.models import Partnership, Relation, RelationLink, Shareholding, StaffAssignment
from server.services.demo_graph import seed_graph
from server.services.graph import group_rows, office_date
from tests.factories import make_employee
from tests.graph.helpers import make_contact, make_person, make_relation


async def _agency(name: str, agency_type: str) -> str:
    rid = await make_relation(name)
    await Relation.filter(id=rid).update(agency_type=agency_type, kinds_mask=16, legal_form=None)
    return rid


async def test_the_demo_graph_has_partners_groups_links_and_staff_once(db):
    for role in ("PARTNER", "MANAGER", "EMPLOYEE"):
        await make_employee(role)
    persons = [await make_person(f"Demo Persoon{n:02d}") for n in range(24)]
    companies = [await make_relation(f"Demo Bedrijf {n:02d} BV") for n in range(12)]
    tax = await _agency("Belastingdienst Utrecht", "TAX_AUTHORITY")
    bank = await _agency("Rabobank Utrecht", "BANK")
    notary = await _agency("Notariskantoor Van Dam", "NOTARY")
    account_manager = await make_contact(bank, "Visser")
    relations = [*persons, *companies, tax, bank, notary]

    summary = await seed_graph(relations)

    # Up to 30 partnerships; 24 persons make 12 pairs.
    assert await Partnership.all().count() == 12
    holdings = await Shareholding.all().count()
    assert holdings >= 6
    depths = {
        e["depth"] for rows in (await group_rows(companies, office_date())).values() for e in rows
    }
    assert {0, 1, 2} <= depths
    clients = len(persons) + len(companies)
    assert await RelationLink.filter(to_relation_id=tax).count() == clients
    bank_links = await RelationLink.filter(to_relation_id=bank).values_list("contact_id", flat=True)
    assert len(bank_links) == clients
    assert {str(c) for c in bank_links} == {account_manager}
    assert await RelationLink.filter(to_relation_id=notary).count() > 0
    assert await StaffAssignment.all().count() == 2 * clients
    assert summary.startswith("demo graph: 12 partnerships")
    assert await seed_graph(relations) == "demo graph already present"
    assert await Shareholding.all().count() == holdings
