"""Custom field values on the card (built in the custom-fields issue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.resolvers.base import Info


async def relation_values(info: Info, relation_id: str, as_of: datetime | None) -> list[Any]:
    return []


async def contact_values(info: Info, contact_id: str, as_of: datetime | None) -> list[Any]:
    return []
