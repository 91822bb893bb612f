"""seed-demo: a believable office of ~200 relations, made through the services, once."""

from __future__ import annotations

from server.models import ContactPerson, Relation, RelationSearchToken, Version
from server.services.demo import seed
from server.services.relation_fields import TAX_REGIME_BY_LEGAL_FORM
from server.services.relation_rows import kinds_from_mask


async def test_the_demo_office_has_every_kind_of_relation_and_seeding_twice_adds_nothing(db):
    summary = await seed()
    assert "198 relations created" in summary
    rows = await Relation.all().values("party_type", "kinds_mask", "legal_form", "agency_type",
                                       "bsn_index", "number")  # fmt: skip
    assert len(rows) == 198
    assert len({r["number"] for r in rows}) == 198
    kinds = {kind for r in rows for kind in kinds_from_mask(r["kinds_mask"])}
    assert kinds >= {"CLIENT", "PROSPECT", "SUPPLIER", "AGENCY"}
    forms = {r["legal_form"] for r in rows if r["legal_form"]}
    assert forms >= set(TAX_REGIME_BY_LEGAL_FORM) - {"OVERIG"}
    agencies = {r["agency_type"] for r in rows if r["agency_type"]}
    assert agencies >= {"BANK", "TAX_AUTHORITY", "CHAMBER_OF_COMMERCE", "NOTARY",
                        "EMPLOYEE_INSURANCE_AGENCY"}  # fmt: skip
    persons = [r for r in rows if r["party_type"] == "PERSON"]
    assert sum(1 for r in persons if r["bsn_index"]) >= 80
    assert await ContactPerson.filter(person_id__isnull=False).count() >= 20
    assert await ContactPerson.all().count() >= 100
    assert await Version.filter(entity="relation", op="create").count() == 198
    assert await RelationSearchToken.filter(token="rabobank").count() == 1
    counts = (await Relation.all().count(), await ContactPerson.all().count())
    assert "relations already present" in await seed()
    assert (await Relation.all().count(), await ContactPerson.all().count()) == counts
