"""Custom field values on the card: a relation's and a contact person's `customFields`.

Per request one loader reads the values of all owners asked for and one loader their
definitions, so a card with many contacts costs the same few statements. Only values that
are set, of active definitions, are listed, ordered by group (ungrouped first), position
and label. `as_of` reads values and definitions as they were then, from history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from server.models import CustomFieldDefinition, CustomFieldValue
from server.resolvers.base import Info
from server.schema.custom_fields import CustomFieldDefinitionNode, CustomFieldValueNode
from server.services import history_rows
from server.services.custom_field_values import stored_value
from server.services.custom_fields import DEFINITION_COLUMNS, VALUE_COLUMNS


def _ids(keys: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(keys))


async def definitions_by_id(as_of: datetime | None, keys: Sequence[str]) -> list[dict | None]:
    if as_of is not None:
        rows = await history_rows.states("custom_field_definition", _ids(keys), as_of)
    else:
        rows = await CustomFieldDefinition.filter(id__in=_ids(keys)).values(*DEFINITION_COLUMNS)
    by_id = {str(row["id"]): row for row in rows}
    return [by_id.get(str(key)) for key in keys]


async def _values_by(column: str, as_of: datetime | None, keys: Sequence[str]) -> list[list[dict]]:
    if as_of is not None:
        rows = await history_rows.states_by("custom_value", column, _ids(keys), as_of)
    else:
        filters = {f"{column}__in": _ids(keys)}
        rows = await CustomFieldValue.filter(**filters).values(*VALUE_COLUMNS)
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[str(row[column])].append(row)
    return [grouped.get(str(key), []) for key in keys]


async def values_by_relation(as_of: datetime | None, keys: Sequence[str]) -> list[list[dict]]:
    return await _values_by("relation_id", as_of, keys)


async def values_by_contact(as_of: datetime | None, keys: Sequence[str]) -> list[list[dict]]:
    return await _values_by("contact_id", as_of, keys)


def definition_order(row: dict[str, Any]) -> tuple:
    group = row["group"]
    return (group is not None, (group or "").casefold(), row["position"], row["label"].casefold())


async def _card_values(
    info: Info, batch: Any, owner_id: str, as_of: datetime | None
) -> list[CustomFieldValueNode]:
    return (await card_values_many(info, batch, [owner_id], as_of))[0]


async def card_values_many(
    info: Info, batch: Any, owner_ids: Sequence[str], as_of: datetime | None
) -> list[list[CustomFieldValueNode]]:
    """The shown values of many owners: two waits however many owners (no resolver each)."""
    per_owner = await info.context.loaders.of(batch, as_of).load_many([str(o) for o in owner_ids])
    per_owner = [
        [row for row in rows if stored_value(row["value"]) is not None] for rows in per_owner
    ]
    loader = info.context.loaders.of(definitions_by_id, as_of)
    wanted = {str(row["definition_id"]) for rows in per_owner for row in rows}
    definitions = dict(zip(wanted, await loader.load_many(wanted), strict=True))
    nodes: dict[str, CustomFieldDefinitionNode] = {}
    shown: list[list[CustomFieldValueNode]] = []
    for rows in per_owner:
        pairs = [(definitions[str(row["definition_id"])], row) for row in rows]
        pairs = [(d, row) for d, row in pairs if d and d["active"]]
        pairs.sort(key=lambda pair: definition_order(pair[0]))
        shown.append([
            CustomFieldValueNode(
                definition=nodes.get(str(d["id"])) or nodes.setdefault(
                    str(d["id"]), CustomFieldDefinitionNode.from_row(d)
                ),
                value=stored_value(row["value"]),
            )
            for d, row in pairs
        ])  # fmt: skip
    return shown


async def relation_values(
    info: Info, relation_id: str, as_of: datetime | None
) -> list[CustomFieldValueNode]:
    return await _card_values(info, values_by_relation, relation_id, as_of)


async def contact_values(
    info: Info, contact_id: str, as_of: datetime | None
) -> list[CustomFieldValueNode]:
    return await _card_values(info, values_by_contact, contact_id, as_of)


async def contact_values_many(
    info: Info, contact_ids: Sequence[str], as_of: datetime | None
) -> list[list[CustomFieldValueNode]]:
    return await card_values_many(info, values_by_contact, contact_ids, as_of)
