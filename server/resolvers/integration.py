"""Edges of linked systems: a relation's accounts, an account's system and its sync state.

Each loads through a per-request DataLoader, so a card or a list of cards costs one
statement per edge kind, whatever the number of accounts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from server.models import LinkedSystem
from server.resolvers.base import Info
from server.services import history_rows, linked_accounts
from server.services.linked_systems import SYSTEM_COLUMNS

if TYPE_CHECKING:
    from server.schema.enums import DeliveryState
    from server.schema.integration import LinkedAccountNode, LinkedSystemNode


async def accounts_by_relation(as_of: datetime | None, keys: Sequence[str]) -> list[list[dict]]:
    ids = list(dict.fromkeys(str(k) for k in keys))
    rows: list[dict[str, Any]]
    if as_of is not None:
        rows = await history_rows.states_by("linked_account", "relation_id", ids, as_of)
        rows = sorted(rows, key=lambda r: (str(r["created_at"]), str(r["id"])))
    else:
        rows = await linked_accounts.accounts_of(ids)
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[str(row["relation_id"])].append(row)
    return [grouped.get(str(k), []) for k in keys]


async def systems_by_id(_: None, keys: Sequence[str]) -> list[dict | None]:
    rows = await LinkedSystem.filter(id__in=list(dict.fromkeys(keys))).values(*SYSTEM_COLUMNS)
    by_id = {str(r["id"]): r for r in rows}
    return [by_id.get(str(k)) for k in keys]


async def sync_states_by_pair(_: None, keys: Sequence[tuple[str, str]]) -> list[str]:
    return await linked_accounts.sync_states(list(keys))


async def accounts(info: Info, relation_id: str, as_of: datetime | None) -> list[LinkedAccountNode]:
    from server.schema.integration import LinkedAccountNode

    rows = await info.context.loaders.of(accounts_by_relation, as_of).load(str(relation_id))
    return [LinkedAccountNode.from_row(r, as_of) for r in rows]


async def system_by_id(info: Info, system_id: str) -> LinkedSystemNode:
    from server.schema.integration import LinkedSystemNode

    row = await info.context.loaders.of(systems_by_id).load(str(system_id))
    if row is None:  # accounts cascade with their system: only a race gets here
        raise LookupError("linked system not found")
    return LinkedSystemNode.from_row(row)


async def sync_state(info: Info, system_id: str, relation_id: str) -> DeliveryState:
    from server.schema.enums import DeliveryState

    state = await info.context.loaders.of(sync_states_by_pair).load(
        (str(system_id), str(relation_id))
    )
    return DeliveryState(state)
