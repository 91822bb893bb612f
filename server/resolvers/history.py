"""History and snapshot edges of the card: `Relation.versions` and `Relation.snapshots`.

The versions of a relation are those of its own row and of every row that names it in
`version.relation_id` or `version.other_relation_id` (its addresses, contacts, partner,
links, holdings, staff, custom values, appointments), newest first. Changes are shown
as recorded: secrets never reach a version, and BSN changes are recorded masked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from server.auth.permissions import Actor
from server.models import Snapshot, Version
from server.resolvers.base import Info
from server.resolvers.register import reveal_bsn
from server.services import history_rows
from server.services.history_rows import loads, utc, uuid_texts
from server.services.snapshots import CARD_QUERY
from server.settings import get_settings

if TYPE_CHECKING:
    from server.schema.history import SnapshotNode, VersionNode

DEFAULT_VERSIONS = 20
SNAPSHOT_LIST_COLUMNS = (
    "id",
    "position",
    "relation_id",
    "taken_at",
    "taken_by_id",
    "reason",
    "content_hash",
    "previous_hash",
    "bsn_encrypted",
)
_NARROW = "id, at"


def _versions_sql(keys: list[str], as_of: datetime | None, first: int, postgres: bool) -> tuple:
    """One statement: each key's latest `first` versions. The ranking reads index columns
    only (id, at); the changes are read for the versions shown."""
    p = history_rows.Params(postgres)

    def before() -> str:
        return f" AND at <= {p.add(utc(as_of))}" if as_of is not None else ""

    # Only placeholders and fixed column names are spliced into these statements.
    own = (
        f"SELECT CAST(relation_id AS TEXT) AS k, {_NARROW} FROM version"  # noqa: S608
        f" WHERE relation_id IN ({p.uuids(keys)}){before()}"
    )
    other = (
        f"SELECT CAST(other_relation_id AS TEXT) AS k, {_NARROW} FROM version"  # noqa: S608
        f" WHERE other_relation_id IN ({p.uuids(keys)})"
        " AND (relation_id IS NULL OR relation_id <> other_relation_id)" + before()
    )
    # The relation's own row, in case a write recorded it without relation_id.
    row = (
        f"SELECT entity_id AS k, {_NARROW} FROM version"  # noqa: S608
        f" WHERE entity = 'relation' AND entity_id IN ({p.many(keys)})"
        " AND relation_id IS NULL AND other_relation_id IS NULL" + before()
    )
    sql = (
        "SELECT r.k, v.id, v.at, v.actor_id, v.entity, v.entity_id, v.op, v.changes FROM ("  # noqa: S608
        " SELECT k, id, ROW_NUMBER() OVER (PARTITION BY k ORDER BY at DESC, id DESC) AS rn"
        f" FROM ({own} UNION ALL {other} UNION ALL {row}) AS mine"
        f") AS r JOIN version AS v ON v.id = r.id WHERE r.rn <= {p.add(first)}"
        " ORDER BY r.k, r.rn"
    )
    return sql, p.values


async def versions_by_relation(
    param: tuple[datetime | None, int], keys: Sequence[str]
) -> list[list[dict[str, Any]]]:
    as_of, first = param
    wanted = uuid_texts(keys)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if wanted and first > 0:
        connection = history_rows.connection()
        postgres = connection.capabilities.dialect == "postgres"
        sql, values = _versions_sql(wanted, as_of, first, postgres)
        at_field = Version._meta.fields_map["at"]
        for row in await connection.execute_query_dict(sql, values):
            row["at"] = at_field.to_python_value(row["at"])
            row["changes"] = loads(row["changes"])
            grouped[row["k"].lower()].append(row)
    return [grouped.get(_canonical(k), []) for k in keys]


def _canonical(key: str) -> str:
    found = uuid_texts([key])
    return found[0] if found else str(key)


async def versions(
    info: Info, relation_id: str, as_of: datetime | None, first: int | None
) -> list[VersionNode]:
    """The relation's versions, newest first, at most `first` (capped at the page size)."""
    from server.schema.history import VersionNode

    limit = DEFAULT_VERSIONS if first is None else max(0, min(first, get_settings().max_page_size))
    loader = info.context.loaders.of(versions_by_relation, (as_of, limit))
    return [VersionNode.from_row(r) for r in await loader.load(str(relation_id))]


async def snapshots_by_relation(
    as_of: datetime | None, keys: Sequence[str]
) -> list[list[dict[str, Any]]]:
    query = Snapshot.filter(relation_id__in=uuid_texts(keys))
    if as_of is not None:
        query = query.filter(taken_at__lte=utc(as_of))
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in await query.order_by("-position").values(*SNAPSHOT_LIST_COLUMNS):
        grouped[str(row["relation_id"])].append(row)
    return [grouped.get(_canonical(k), []) for k in keys]


async def snapshots(info: Info, relation_id: str, as_of: datetime | None) -> list[SnapshotNode]:
    """The relation's snapshots, newest first (those taken by `as_of` when given)."""
    from server.schema.history import SnapshotNode

    loader = info.context.loaders.of(snapshots_by_relation, as_of)
    return [SnapshotNode.from_row(r) for r in await loader.load(str(relation_id))]


async def cards_by_snapshot(_: Any, keys: Sequence[str]) -> list[str | None]:
    rows = await Snapshot.filter(id__in=uuid_texts(keys)).values("id", "card")
    by_id = {str(r["id"]): r["card"] for r in rows}
    return [by_id.get(_canonical(k)) for k in keys]


async def card_text(info: Info, snapshot_id: str) -> str | None:
    """A snapshot's canonical card text, loaded only when a client asks for the card."""
    return await info.context.loaders.of(cards_by_snapshot).load(str(snapshot_id))


async def render_card(actor: Actor, relation_id: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The RelationCard operation's `data`, executed in-process as `actor` would see it."""
    from server.context import Context
    from server.schema import get_schema

    result = await get_schema().execute(
        CARD_QUERY, variable_values=variables, context_value=Context(request=None, actor=actor)
    )
    if result.errors:
        # Never freeze half a card: the errors are logged with their request id.
        messages = "; ".join(error.message for error in result.errors)
        raise RuntimeError(f"the card of relation {relation_id} could not be rendered: {messages}")
    return dict(result.data or {})


async def snapshot_bsn(info: Info, snapshot: SnapshotNode, relation_id: str | None) -> str | None:
    """A BSN kept with a snapshot, under the live card's rule (permission, audited read)."""
    if relation_id is None or snapshot.bsn_encrypted is None:
        return None
    encrypted = loads(snapshot.bsn_encrypted).get(str(relation_id))
    return await reveal_bsn(info, str(relation_id), encrypted)
