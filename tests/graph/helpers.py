"""Test-only rows and GraphQL documents for the relation graph.

Relations and contact persons are inserted directly (the register's services are built in
another issue); every graph write under test goes through the API or the graph services.
"""

from __future__ import annotations

import itertools
import uuid
from decimal import Decimal
from typing import Any

from server.models import (
    ChangeEvent,
    ContactPerson,
    Partnership,
    Relation,
    RelationLink,
    Shareholding,
    StaffAssignment,
    Version,
)
from server.services.unit import row_state, unit_of_work, utcnow

_numbers = itertools.count(1)

ERRORS = "errors { field code message }"
SET_PARTNERSHIP = f"""mutation($p: ID!, $q: ID!, $t: PartnershipType!, $f: Boolean!, $s: Date) {{
  setPartnership(personId: $p, partnerId: $q, type: $t, fiscalPartner: $f, since: $s) {{
    partnership {{ id type fiscalPartner since until partner {{ id displayName }} }}
    {ERRORS} }} }}"""
END_PARTNERSHIP = (
    f"""mutation($p: ID!) {{ endPartnership(personId: $p) {{ deletedId {ERRORS} }} }}"""
)
LINK = f"""mutation($f: ID!, $t: ID!, $y: RelationLinkType!, $c: ID, $n: String, $s: Date) {{
  linkRelation(fromId: $f, toId: $t, type: $y, contactId: $c, note: $n, since: $s) {{
    link {{ id type note since from {{ id }} to {{ id }} contact {{ id displayName }} }}
    {ERRORS} }} }}"""
UNLINK = f"""mutation($id: ID!) {{ unlinkRelation(id: $id) {{ deletedId {ERRORS} }} }}"""
ADD_HOLDING = f"""mutation($h: ID!, $s: ID!, $p: Decimal!, $d: Date, $v: Boolean, $b: Boolean) {{
  addShareholding(holderId: $h, subsidiaryId: $s, percentage: $p, since: $d,
                  fiscalUnityCorporateTax: $v, fiscalUnityVat: $b) {{
    shareholding {{ id percentage since until fiscalUnityCorporateTax fiscalUnityVat depth
                   holder {{ id }} subsidiary {{ id }} }} {ERRORS} }} }}"""
END_HOLDING = f"""mutation($id: ID!, $u: Date!) {{ endShareholding(id: $id, until: $u) {{
  shareholding {{ id percentage since until }} {ERRORS} }} }}"""
ASSIGN = f"""mutation($r: ID!, $e: ID!, $o: AssignmentRole!, $s: Date) {{
  assignStaff(relationId: $r, employeeId: $e, role: $o, since: $s) {{
    assignment {{ id role since employee {{ id name }} relation {{ id displayName }} }}
    {ERRORS} }} }}"""
UNASSIGN = f"""mutation($id: ID!) {{ unassignStaff(id: $id) {{ deletedId {ERRORS} }} }}"""
GROUP = """query($id: ID!) { relation(id: $id) {
  group { depth percentage holder { id displayName } subsidiary { id displayName } } } }"""


async def make_relation(name: str, party_type: str = "ORGANISATION") -> str:
    """A relation row with every required column (organisation, or person by last name),
    with its creation in the history so that `asOf` finds it."""
    now = utcnow()
    person = party_type == "PERSON"
    relation = Relation(
        id=uuid.uuid4(),
        number=f"G{next(_numbers):06d}",
        party_type=party_type,
        kinds_mask=1,
        display_name=name,
        sort_name=name.casefold(),
        legal_form=None if person else "BV",
        last_name=name.split()[-1] if person else None,
        legal_name=None if person else name,
        created_at=now,
        updated_at=now,
    )
    async with unit_of_work(None) as unit:
        await relation.save()
        unit.record("relation", relation.id, None, row_state(relation), relation_id=relation.id)
    return str(relation.id)


async def make_person(name: str) -> str:
    return await make_relation(name, "PERSON")


async def make_contact(relation_id: str, last_name: str) -> str:
    contact = await ContactPerson.create(
        id=uuid.uuid4(), relation_id=relation_id, last_name=last_name, created_at=utcnow()
    )
    return str(contact.id)


async def make_group_rows(levels: int, width: int) -> tuple[str, list[str]]:
    """A DGA holding a chain of `levels` companies, the last one holding `width` more.

    Inserted in bulk (test data, not the subject): returns (dga id, company ids).
    """
    now = utcnow()
    dga = await make_person("Groot Aandeelhouder")
    companies = [
        Relation(
            id=uuid.uuid4(),
            number=f"G{next(_numbers):06d}",
            party_type="ORGANISATION",
            kinds_mask=1,
            display_name=f"Werkmaatschappij {n:04d} BV",
            sort_name=f"werkmaatschappij {n:04d} bv",
            legal_form="BV",
            legal_name=f"Werkmaatschappij {n:04d} BV",
            created_at=now,
            updated_at=now,
        )
        for n in range(levels + width)
    ]
    await Relation.bulk_create(companies)
    chain = [dga, *(str(c.id) for c in companies[:levels])]
    edges = list(itertools.pairwise(chain))
    edges += [(chain[-1], str(c.id)) for c in companies[levels:]]
    await Shareholding.bulk_create(
        [
            Shareholding(id=uuid.uuid4(), holder_id=h, subsidiary_id=s, percentage=Decimal(100))
            for h, s in edges
        ]
    )
    return dga, [str(c.id) for c in companies]


async def graph_counts() -> dict[str, int]:
    """Rows of everything a graph write leaves behind: edges, versions, events."""
    return {
        "partnership": await Partnership.all().count(),
        "link": await RelationLink.all().count(),
        "shareholding": await Shareholding.all().count(),
        "assignment": await StaffAssignment.all().count(),
        "version": await Version.all().count(),
        "event": await ChangeEvent.all().count(),
    }


async def events_of(event_type: str) -> list[tuple[str, dict[str, Any]]]:
    rows = (
        await ChangeEvent.filter(type=event_type)
        .order_by("occurred_at")
        .values("relation_id", "payload")
    )
    return [(str(r["relation_id"]), r["payload"]) for r in rows]
