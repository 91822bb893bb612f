"""A relation's accounts in linked systems: linking, sync state and single-sign-on drill-down."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from tortoise.exceptions import IntegrityError
from tortoise.functions import Max

from server.auth.permissions import Actor
from server.auth.tokens import mint_sso_token
from server.errors import Code, DomainError, ErrorCollector
from server.models import AuditEntry, Delivery, LinkedAccount, LinkedSystem, Relation
from server.services.linked_systems import DEFAULT_URL_TEMPLATE, has_control_characters
from server.services.outbox import CANCELLED, DEAD, DELIVERED, PENDING
from server.services.unit import row_state, unit_of_work, utcnow

ACCOUNT_COLUMNS = ("id", "system_id", "relation_id", "external_id", "created_at")
UP_TO_DATE, SYNC_PENDING, FAILING = "UP_TO_DATE", "PENDING", "FAILING"


@dataclass(frozen=True)
class DrillDownResult:
    url: str
    token: str
    expires_at: datetime


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


async def _check_link(relation_id: str, system_id: str, external_id: str) -> None:
    errors = ErrorCollector()
    if not external_id:
        errors.add(DomainError(Code.REQUIRED, "Enter the relation's id there.", ["externalId"]))
    elif len(external_id) > 200 or has_control_characters(external_id):
        errors.add(DomainError(Code.INVALID, "At most 200 printable characters.", ["externalId"]))
    rid, sid = _uuid(relation_id), _uuid(system_id)
    if rid is None or not await Relation.filter(id=rid).exists():
        errors.add(DomainError(Code.NOT_FOUND, "No such relation.", ["relationId"]))
    if sid is None or not await LinkedSystem.filter(id=sid).exists():
        errors.add(DomainError(Code.NOT_FOUND, "No such linked system.", ["systemId"]))
    errors.raise_if_any()
    if await LinkedAccount.filter(system_id=sid, external_id=external_id).exists():
        errors.add(
            DomainError(Code.CONFLICT, "This id is already linked in that system.", ["externalId"])
        )
    if await LinkedAccount.filter(system_id=sid, relation_id=rid).exists():
        errors.add(
            DomainError(Code.CONFLICT, "The relation already has an account there.", ["systemId"])
        )
    errors.raise_if_any()


async def link_account(
    actor: Actor, relation_id: str, system_id: str, external_id: str
) -> dict[str, Any]:
    """Record the relation's id in a linked system (one per system, unique within it)."""
    external_id = (external_id or "").strip()
    await _check_link(relation_id, system_id, external_id)
    try:
        async with unit_of_work(actor) as unit:
            account = await LinkedAccount.create(
                id=uuid.uuid4(),
                system_id=uuid.UUID(str(system_id)),
                relation_id=uuid.UUID(str(relation_id)),
                external_id=external_id,
                created_at=unit.now,
            )
            unit.record(
                "linked_account", account.id, None, row_state(account), relation_id=relation_id
            )
    except IntegrityError:
        # Another request linked the same id between our check and our insert.
        raise DomainError(
            Code.CONFLICT, "This id is already linked in that system.", ["externalId"]
        ) from None
    return {name: getattr(account, name) for name in ACCOUNT_COLUMNS}


async def accounts_of(relation_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The live accounts of these relations, oldest first."""
    return await (
        LinkedAccount.filter(relation_id__in=list(relation_ids))
        .order_by("created_at", "id")
        .values(*ACCOUNT_COLUMNS)
    )


async def sync_states(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """For (system id, relation id) pairs: UP_TO_DATE, PENDING or FAILING, in one query.

    FAILING: a pending delivery has had a failed attempt, or the relation's latest
    undelivered change was given up (DEAD, or CANCELLED when the system was disabled).
    PENDING: a change waits for its first attempt. Otherwise UP_TO_DATE.
    """
    rows = await (
        Delivery.filter(
            system_id__in=list({p[0] for p in pairs}), relation_id__in=list({p[1] for p in pairs})
        )
        .annotate(last=Max("id"), tried=Max("attempts"))
        .group_by("system_id", "relation_id", "state")
        .values("system_id", "relation_id", "state", "last", "tried")
    )
    groups: dict[tuple[str, str], dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        key = (str(row["system_id"]), str(row["relation_id"]))
        groups[key][row["state"]] = (row["last"], row["tried"])
    return [_state(groups.get((str(s), str(r)), {})) for s, r in pairs]


def _state(by_state: dict[str, tuple[int, int]]) -> str:
    if PENDING in by_state:
        return FAILING if by_state[PENDING][1] > 0 else SYNC_PENDING
    given_up = max((by_state[s][0] for s in (DEAD, CANCELLED) if s in by_state), default=None)
    delivered = by_state.get(DELIVERED, (0, 0))[0]
    if given_up is not None and given_up > delivered:
        return FAILING
    return UP_TO_DATE


def drill_down_url(template: str | None, base_url: str, external_id: str, number: str) -> str:
    """The system's URL for the relation; values other than the base URL are percent-encoded."""
    return (template or DEFAULT_URL_TEMPLATE).format(
        baseUrl=base_url.rstrip("/"),
        externalId=quote(external_id, safe=""),
        relationNumber=quote(number, safe=""),
    )


async def drill_down(actor: Actor, account_id: str) -> DrillDownResult:
    """A short-lived SSO token for the account's system and the URL that opens the relation.

    The token travels in the URL's fragment (`#token=...`): browsers never send a fragment
    to a server, so it stays out of access logs and Referer headers; the system's page
    reads it in the browser. The drill-down is written to the audit log (not the token).
    """
    aid = _uuid(account_id)
    rows = (
        await LinkedAccount.filter(id=aid).values(
            "id",
            "external_id",
            "relation_id",
            "system_id",
            "relation__number",
            "system__base_url",
            "system__url_template",
            "system__sso_audience",
            "system__active",
        )
        if aid
        else []
    )
    if not rows:
        raise DomainError(Code.NOT_FOUND, "No such account.", ["accountId"])
    row = rows[0]
    if not row["system__active"]:
        raise DomainError(Code.INVALID, "The linked system is not active.", ["accountId"])
    claims = {
        "external_id": row["external_id"],
        "relation_number": row["relation__number"],
        "relation_id": str(row["relation_id"]),
        "system_id": str(row["system_id"]),
    }
    if actor.name:
        claims["name"] = actor.name
    token, expires_at, _ = mint_sso_token(
        audience=row["system__sso_audience"], employee_id=actor.id, claims=claims
    )
    url = drill_down_url(
        row["system__url_template"],
        row["system__base_url"],
        row["external_id"],
        row["relation__number"],
    )
    await AuditEntry.create(
        at=utcnow(),
        actor_id=actor.id,
        action="DRILL_DOWN",
        relation_id=row["relation_id"],
        detail=f"linked system {row['system_id']}",
    )
    return DrillDownResult(f"{url}#token={token}", token, expires_at)
