"""Edges of linked systems (built in the linked-systems issue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.resolvers.base import Info


async def accounts(info: Info, relation_id: str, as_of: datetime | None) -> list[Any]:
    return []


async def system_by_id(info: Info, system_id: str) -> Any:
    raise NotImplementedError


async def sync_state(info: Info, system_id: str, relation_id: str) -> Any:
    raise NotImplementedError
