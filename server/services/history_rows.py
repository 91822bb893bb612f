"""Rows as they were at a moment, rebuilt from the version history (for asOf)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any


async def states(entity: str, entity_ids: Sequence[str], as_of: datetime) -> list[dict[str, Any]]:
    """The state of each entity at `as_of` (absent if it did not exist then)."""
    raise NotImplementedError("asOf is built in the history issue")


async def states_by(
    entity: str, key: str, values: Sequence[str], as_of: datetime
) -> list[dict[str, Any]]:
    """The states at `as_of` of every entity whose `key` column was in `values` then."""
    raise NotImplementedError("asOf is built in the history issue")
