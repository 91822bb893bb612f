"""History and snapshot edges of the card (built in the history issue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.resolvers.base import Info


async def versions(
    info: Info, relation_id: str, as_of: datetime | None, first: int | None
) -> list[Any]:
    return []


async def snapshots(info: Info, relation_id: str, as_of: datetime | None) -> list[Any]:
    return []
