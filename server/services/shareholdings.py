"""Holdings: holder (person or organisation) -> subsidiary (organisation) with a percentage.

No cycles at any depth, never more than 100% of a company held at one time, and the
fiscal-unity flags only where the law allows them. Ending keeps the row with its end date.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from server.auth.permissions import Actor
from server.errors import Code, DomainError, ErrorCollector
from server.models import Shareholding
from server.services.graph import (
    announce,
    as_date,
    current_q,
    event_data,
    holds_indirectly,
    lock_relations,
    lock_shareholdings,
    office_date,
    parse_id,
)
from server.services.unit import Unit, row_state, unit_of_work

# Thresholds set by law (Wet Vpb 1969 art. 15; Wet OB art. 7 lid 4 with the
# Belastingdienst's 'financial ties' reading): keep them here, in one place.
FULL = Decimal(100)
FISCAL_UNITY_CORPORATE_TAX_MIN = Decimal(95)
FISCAL_UNITY_VAT_MIN = Decimal(50)
PLACES = 4  # the column keeps four decimals


def check_percentage(
    percentage: Any, fiscal_unity_corporate_tax: bool, fiscal_unity_vat: bool
) -> Decimal:
    """The percentage as a Decimal in (0, 100] with the fiscal-unity thresholds met."""
    errors = ErrorCollector()
    try:
        value = Decimal(str(percentage))
        exponent = value.as_tuple().exponent
        valid = value.is_finite() and isinstance(exponent, int) and -exponent <= PLACES
    except (InvalidOperation, ValueError):
        value, valid = Decimal(0), False
    if not valid or not Decimal(0) < value <= FULL:
        raise DomainError(
            Code.INVALID,
            f"A percentage is more than 0 and at most 100, with at most {PLACES} decimals.",
            ["percentage"],
        )
    if fiscal_unity_corporate_tax and value < FISCAL_UNITY_CORPORATE_TAX_MIN:
        errors.add(
            DomainError(
                Code.INVALID,
                "A fiscal unity for corporate tax needs at least 95% of the shares.",
                ["fiscalUnityCorporateTax"],
            )
        )
    if fiscal_unity_vat and value < FISCAL_UNITY_VAT_MIN:
        errors.add(
            DomainError(
                Code.INVALID,
                "A fiscal unity for VAT needs at least 50% of the shares.",
                ["fiscalUnityVat"],
            )
        )
    errors.raise_if_any()
    return value


async def add_shareholding(
    actor: Actor | None,
    holder_id: Any,
    subsidiary_id: Any,
    percentage: Any,
    since: date | None = None,
    fiscal_unity_corporate_tax: bool = False,
    fiscal_unity_vat: bool = False,
) -> Shareholding:
    """Record that `holder` holds `percentage` of `subsidiary` from `since`.

    Refused: a percentage outside (0, 100] or below a fiscal-unity threshold, or a
    subsidiary that is not an organisation (INVALID); unknown relations (NOT_FOUND); a
    cycle at any depth (CYCLE); more than 100% of the subsidiary held at once (LIMIT);
    a second current holding of the same holder in the same subsidiary (CONFLICT).
    """
    holder = parse_id(holder_id, "holderId")
    subsidiary = parse_id(subsidiary_id, "subsidiaryId")
    value = check_percentage(percentage, fiscal_unity_corporate_tax, fiscal_unity_vat)
    if holder == subsidiary:
        raise DomainError(
            Code.CYCLE, "A company cannot hold its own shares here.", ["subsidiaryId"]
        )
    async with unit_of_work(actor) as unit:
        await lock_shareholdings()
        relations = await lock_relations({"holderId": holder, "subsidiaryId": subsidiary})
        if relations["subsidiaryId"].party_type != "ORGANISATION":
            raise DomainError(
                Code.INVALID, "Only an organisation can have shareholders.", ["subsidiaryId"]
            )
        day = since or office_date(unit.now)
        await _refuse_cycle_duplicate_and_excess(holder, subsidiary, value, day)
        row = Shareholding(
            id=uuid.uuid4(),
            holder_id=holder,
            subsidiary_id=subsidiary,
            percentage=value,
            since=since,
            fiscal_unity_corporate_tax=fiscal_unity_corporate_tax,
            fiscal_unity_vat=fiscal_unity_vat,
        )
        await row.save()
        _announce(unit, row, None, "shareholding.added")
    return row


async def _refuse_cycle_duplicate_and_excess(
    holder: uuid.UUID, subsidiary: uuid.UUID, value: Decimal, day: date
) -> None:
    if await holds_indirectly(subsidiary, holder, day):
        raise DomainError(
            Code.CYCLE,
            "The subsidiary already holds the holder (directly or further down): a cycle.",
            ["subsidiaryId"],
        )
    # Holdings still running on `day` overlap the new one (which has no end yet).
    held = await Shareholding.filter(current_q(day), subsidiary_id=subsidiary).values(
        "holder_id", "percentage"
    )
    if any(str(h["holder_id"]) == str(holder) for h in held):
        raise DomainError(
            Code.CONFLICT,
            "This holder already holds shares in this company; end that holding first.",
            ["holderId"],
        )
    total = sum((Decimal(str(h["percentage"])) for h in held), Decimal(0))
    if total + value > FULL:
        raise DomainError(
            Code.LIMIT,
            f"{total.normalize():f}% of this company is already held; "
            f"{value.normalize():f}% more would exceed 100%.",
            ["percentage"],
        )


async def end_shareholding(actor: Actor | None, shareholding_id: Any, until: date) -> Shareholding:
    """Give a holding its end date (the row stays for the history).

    Refused: unknown (NOT_FOUND), already ended (CONFLICT), an end before the start (INVALID).
    """
    sid = parse_id(shareholding_id, "id", "Shareholding")
    async with unit_of_work(actor) as unit:
        await lock_shareholdings()
        row = await Shareholding.select_for_update().get_or_none(id=sid)
        if row is None:
            raise DomainError(Code.NOT_FOUND, "Shareholding not found.", ["id"])
        if row.until is not None:
            raise DomainError(Code.CONFLICT, "This holding has already ended.", ["id"])
        start = as_date(row.since)
        if start is not None and until < start:
            raise DomainError(Code.INVALID, "A holding cannot end before it started.", ["until"])
        before = row_state(row)
        row.until = until
        await row.save(update_fields=["until"])
        _announce(unit, row, before, "shareholding.ended")
    return row


def _announce(unit: Unit, row: Shareholding, before: dict | None, event_type: str) -> None:
    after = row_state(row)
    holder, subsidiary = row.holder_id, row.subsidiary_id  # type: ignore[attr-defined]
    changes = unit.record(
        "shareholding", row.id, before, after, relation_id=holder, other_relation_id=subsidiary
    )
    announce(
        unit, event_type, [holder, subsidiary], event_data("shareholding", row.id, changes, after)
    )
