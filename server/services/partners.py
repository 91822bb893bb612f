"""Partners: two PERSON relations linked symmetrically, one current partnership per person.

Ending a partnership sets its end date and keeps the row, so the history stays readable
(and `asOf` shows the partner as it was). At most one fiscal partner at a time (Wet IB
art. 5a): one current partnership per person guarantees it for now, and a back-dated
fiscal partnership may not overlap an earlier fiscal one of either person.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from tortoise.expressions import Q

from server.auth.permissions import Actor
from server.errors import Code, DomainError, ErrorCollector
from server.models import Partnership
from server.services.graph import (
    announce,
    current_q,
    event_data,
    lock_relations,
    office_date,
    parse_id,
)
from server.services.unit import row_state, unit_of_work

PARTNERSHIP_TYPES = frozenset({"MARRIED", "REGISTERED_PARTNERSHIP", "COHABITING"})


async def set_partnership(
    actor: Actor | None,
    person_id: Any,
    partner_id: Any,
    type: str,
    fiscal_partner: bool,
    since: date | None,
) -> Partnership:
    """Link two persons as partners; the same pair again updates type, fiscal flag and date.

    Refused: a self-link or an organisation (INVALID), an unknown relation (NOT_FOUND), a
    person who already has another current partner (CONFLICT), a fiscal partnership that
    overlaps another fiscal one (CONFLICT at fiscalPartner).
    """
    if type not in PARTNERSHIP_TYPES:
        raise DomainError(Code.INVALID, "Unknown partnership type.", ["type"])
    person = parse_id(person_id, "personId")
    partner = parse_id(partner_id, "partnerId")
    if person == partner:
        raise DomainError(Code.INVALID, "A person cannot be their own partner.", ["partnerId"])
    async with unit_of_work(actor) as unit:
        relations = await lock_relations({"personId": person, "partnerId": partner})
        errors = ErrorCollector()
        for field, relation in relations.items():
            if relation.party_type != "PERSON":
                errors.add(DomainError(Code.INVALID, "Only persons can be partners.", [field]))
        errors.raise_if_any()
        day = office_date(unit.now)
        existing = await _current_of_pair(person, partner, day)
        if fiscal_partner:
            await _refuse_overlapping_fiscal(person, partner, since or day, existing)
        if existing is None:
            row = Partnership(
                id=uuid.uuid4(),
                person_a_id=person,
                person_b_id=partner,
                type=type,
                fiscal_partner=fiscal_partner,
                since=since,
            )
            before = None
        else:
            row, before = existing, row_state(existing)
            row.type, row.fiscal_partner = type, fiscal_partner
            row.since = since or row.since
        await row.save()
        after = row_state(row)
        changes = unit.record(
            "partnership", row.id, before, after, relation_id=person, other_relation_id=partner
        )
        if changes:
            data = event_data("partnership", row.id, changes, after)
            announce(unit, "partnership.set", [person, partner], data)
    return row


async def _current_of_pair(person: uuid.UUID, partner: uuid.UUID, day: date) -> Partnership | None:
    """The pair's own current partnership, if any; CONFLICT if either has another one."""
    rows = await Partnership.filter(
        current_q(day),
        Q(person_a_id__in=[person, partner]) | Q(person_b_id__in=[person, partner]),
    )
    own = None
    errors = ErrorCollector()
    for row in rows:
        pair = {row.person_a_id, row.person_b_id}  # type: ignore[attr-defined]
        if pair == {person, partner}:
            own = row
            continue
        for field, relation_id in (("personId", person), ("partnerId", partner)):
            if relation_id in pair:
                errors.add(
                    DomainError(
                        Code.CONFLICT,
                        "This person already has a current partner; end that partnership first.",
                        [field],
                    )
                )
    errors.raise_if_any()
    return own


async def _refuse_overlapping_fiscal(
    person: uuid.UUID, partner: uuid.UUID, since: date, own: Partnership | None
) -> None:
    overlapping = Partnership.filter(
        Q(person_a_id__in=[person, partner]) | Q(person_b_id__in=[person, partner]),
        current_q(since),
        fiscal_partner=True,
    )
    if own is not None:
        overlapping = overlapping.exclude(id=own.id)
    if await overlapping.exists():
        raise DomainError(
            Code.CONFLICT,
            "A person has at most one fiscal partner at a time; this overlaps another.",
            ["fiscalPartner"],
        )


async def end_partnership(actor: Actor | None, person_id: Any) -> str:
    """End the person's current partnership today (the row stays, with its end date).

    Returns the ended partnership's id; NOT_FOUND when there is no current partnership.
    """
    person = parse_id(person_id, "personId")
    async with unit_of_work(actor) as unit:
        await lock_relations({"personId": person})
        day = office_date(unit.now)
        row = await Partnership.filter(
            current_q(day), Q(person_a_id=person) | Q(person_b_id=person)
        ).first()
        if row is None:
            raise DomainError(Code.NOT_FOUND, "This person has no current partner.", ["personId"])
        before = row_state(row)
        row.until = day
        await row.save(update_fields=["until"])
        after = row_state(row)
        a, b = row.person_a_id, row.person_b_id  # type: ignore[attr-defined]
        changes = unit.record(
            "partnership", row.id, before, after, relation_id=a, other_relation_id=b
        )
        announce(
            unit, "partnership.ended", [a, b], event_data("partnership", row.id, changes, after)
        )
    return str(row.id)
