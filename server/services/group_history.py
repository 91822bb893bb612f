"""The group of a relation as it was at a moment, rebuilt from history level by level.

The live group is one recursive SQL statement (graph.group_rows); the past has no table to
recurse over, so this walks the version states: a few queries per level, asOf only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from server.services import history_rows
from server.services.graph import MAX_GROUP_DEPTH, is_current, office_date


async def _edges(column: str, ids: set[str], as_of: datetime) -> list[dict[str, Any]]:
    """Shareholdings current at `as_of` whose `column` is one of `ids`."""
    if not ids:
        return []
    day = office_date(as_of)
    states = await history_rows.states_by("shareholding", column, sorted(ids), as_of)
    return [s for s in states if is_current(s, day)]


async def _ultimate_parents(origin: str, as_of: datetime) -> set[str]:
    seen, frontier, held = {origin}, {origin}, set()
    while frontier:
        edges = await _edges("subsidiary_id", frontier, as_of)
        held |= {str(e["subsidiary_id"]) for e in edges}
        holders = {str(e["holder_id"]) for e in edges}
        frontier = holders - seen
        seen |= frontier
    return seen - held


async def _down(roots: set[str], as_of: datetime) -> list[dict[str, Any]]:
    """Breadth first, so each edge gets its shortest distance from an ultimate parent."""
    found: dict[str, dict[str, Any]] = {}
    visited, frontier, depth = set(roots), set(roots), 0
    while frontier and depth <= MAX_GROUP_DEPTH:
        edges = await _edges("holder_id", frontier, as_of)
        for edge in sorted(edges, key=lambda e: str(e["id"])):
            found.setdefault(str(edge["id"]), {**edge, "depth": depth})
        subsidiaries = {str(e["subsidiary_id"]) for e in edges}
        frontier = subsidiaries - visited
        visited |= frontier
        depth += 1
    return list(found.values())


async def _in_display_order(edges: list[dict[str, Any]], as_of: datetime) -> list[dict[str, Any]]:
    """Sorted as the live group: depth, then the holder's and subsidiary's sort names."""
    ids = {str(e[k]) for e in edges for k in ("holder_id", "subsidiary_id")}
    names = (
        {
            str(r["id"]): r["sort_name"] or ""
            for r in await history_rows.states("relation", sorted(ids), as_of)
        }
        if ids
        else {}
    )

    def order(edge: dict[str, Any]) -> tuple:
        holder, subsidiary = str(edge["holder_id"]), str(edge["subsidiary_id"])
        return (edge["depth"], names.get(holder, ""), names.get(subsidiary, ""), str(edge["id"]))

    return sorted(edges, key=order)


async def group_rows_as_of(
    relation_ids: Sequence[str], as_of: datetime
) -> dict[str, list[dict[str, Any]]]:
    """For each relation: its group's shareholdings current at `as_of`, with `depth`."""
    result: dict[str, list[dict[str, Any]]] = {}
    for origin in dict.fromkeys(str(r) for r in relation_ids):
        roots = await _ultimate_parents(origin, as_of)
        result[origin] = await _in_display_order(await _down(roots, as_of), as_of)
    return result
