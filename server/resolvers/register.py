"""Edges of the register: relations by id, addresses, contacts, contact roles, BSN reveal.

Every batch function takes `(as_of, keys)`: live tables when `as_of` is None, otherwise the
rows as they were at that moment, rebuilt from history (server/services/history_rows.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from server.auth.permissions import Permission
from server.models import Address, ContactPerson, Relation
from server.resolvers.base import Info, prefetch
from server.services import history_rows
from server.services.audit import bsn_read

if TYPE_CHECKING:
    from server.schema.relation import AddressNode, ContactPersonNode, RelationNode

RELATION_COLUMNS = tuple(
    name for name in Relation._meta.fields_db_projection if name not in {"bsn_index"}
)
# Spelled out: before Tortoise.init, _meta lacks the foreign-key columns (relation_id ...).
CONTACT_COLUMNS = (
    "id", "relation_id", "initials", "first_name", "prefix", "last_name", "department",
    "job_title", "phone", "mobile", "email", "is_primary", "person_id", "created_at",
)  # fmt: skip
ADDRESS_COLUMNS = (
    "id", "relation_id", "type", "street", "house_number", "house_number_addition",
    "postal_code", "city", "country_code", "position",
)  # fmt: skip


def _ids(keys: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(keys))


async def relations_by_id(as_of: datetime | None, keys: Sequence[str]) -> list[dict | None]:
    if as_of is not None:
        rows = await history_rows.states("relation", _ids(keys), as_of)
    else:
        rows = await Relation.filter(id__in=_ids(keys)).values(*RELATION_COLUMNS)
    by_id = {str(r["id"]): r for r in rows}
    return [by_id.get(str(k)) for k in keys]


async def contacts_by_id(as_of: datetime | None, keys: Sequence[str]) -> list[dict | None]:
    if as_of is not None:
        rows = await history_rows.states("contact", _ids(keys), as_of)
    else:
        rows = await ContactPerson.filter(id__in=_ids(keys)).values(*CONTACT_COLUMNS)
    by_id = {str(r["id"]): r for r in rows}
    return [by_id.get(str(k)) for k in keys]


async def _grouped(
    entity: str,
    model: Any,
    columns: Sequence[str],
    fk: str,
    as_of: datetime | None,
    keys: Sequence[str],
    order: Sequence[str],
) -> list[list[dict]]:
    if as_of is not None:
        rows = await history_rows.states_by(entity, fk, _ids(keys), as_of)
    else:
        rows = await model.filter(**{f"{fk}__in": _ids(keys)}).order_by(*order).values(*columns)
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[str(row[fk])].append(row)
    return [grouped.get(str(k), []) for k in keys]


async def addresses_by_relation(as_of: datetime | None, keys: Sequence[str]) -> list[list[dict]]:
    return await _grouped(
        "address", Address, ADDRESS_COLUMNS, "relation_id", as_of, keys, ("position", "id")
    )


async def contacts_by_relation(as_of: datetime | None, keys: Sequence[str]) -> list[list[dict]]:
    rows = await _grouped(
        "contact",
        ContactPerson,
        CONTACT_COLUMNS,
        "relation_id",
        as_of,
        keys,
        ("-is_primary", "last_name", "id"),
    )
    return [sorted(group, key=_contact_order) for group in rows]


async def contacts_by_person(as_of: datetime | None, keys: Sequence[str]) -> list[list[dict]]:
    rows = await _grouped(
        "contact", ContactPerson, CONTACT_COLUMNS, "person_id", as_of, keys, ("last_name", "id")
    )
    return [sorted(group, key=_contact_order) for group in rows]


def _contact_order(row: dict) -> tuple:
    return (not row["is_primary"], (row["last_name"] or "").lower(), str(row["id"]))


async def relation_by_id(
    info: Info, relation_id: str | None, as_of: datetime | None
) -> RelationNode | None:
    from server.schema.relation import relation_from_row

    if relation_id is None:
        return None
    row = await info.context.loaders.of(relations_by_id, as_of).load(str(relation_id))
    return relation_from_row(row, as_of) if row else None


async def contact_by_id(
    info: Info, contact_id: str | None, as_of: datetime | None
) -> ContactPersonNode | None:
    from server.schema.relation import contact_from_row

    if contact_id is None:
        return None
    row = await info.context.loaders.of(contacts_by_id, as_of).load(str(contact_id))
    return contact_from_row(row, as_of) if row else None


async def addresses(info: Info, relation_id: str, as_of: datetime | None) -> list[AddressNode]:
    from server.schema.relation import AddressNode

    rows = await info.context.loaders.of(addresses_by_relation, as_of).load(str(relation_id))
    return [AddressNode.from_row(r) for r in rows]


async def contacts(info: Info, relation_id: str, as_of: datetime | None) -> list[ContactPersonNode]:
    from server.schema.relation import contact_from_row

    rows = await info.context.loaders.of(contacts_by_relation, as_of).load(str(relation_id))
    from server.resolvers import custom_fields as custom_edges

    nodes = [contact_from_row(r, as_of) for r in rows]
    await prefetch(
        info,
        nodes,
        {"customFields": lambda ids: custom_edges.contact_values_many(info, ids, as_of)},
    )
    return nodes


async def contact_roles(
    info: Info, relation_id: str, as_of: datetime | None
) -> list[ContactPersonNode]:
    from server.schema.relation import contact_from_row

    rows = await info.context.loaders.of(contacts_by_person, as_of).load(str(relation_id))
    return [contact_from_row(r, as_of) for r in rows]


async def fresh_relation(info: Info, relation_id: str) -> RelationNode | None:
    """A relation as just written (replacing what the request's loader held before)."""
    from server.schema.relation import relation_from_row

    row = (await relations_by_id(None, [str(relation_id)]))[0]
    if row is None:
        return None
    info.context.loaders.of(relations_by_id, None).prime(str(relation_id), row, force=True)
    return relation_from_row(row)


async def fresh_contact(info: Info, contact_id: str) -> ContactPersonNode | None:
    """A contact person as just written; contact lists are reloaded when asked again."""
    from server.schema.relation import contact_from_row

    row = (await contacts_by_id(None, [str(contact_id)]))[0]
    if row is None:
        return None
    info.context.loaders.of(contacts_by_id, None).prime(str(contact_id), row, force=True)
    info.context.loaders.of(contacts_by_relation, None).clear_all()
    info.context.loaders.of(contacts_by_person, None).clear_all()
    return contact_from_row(row)


async def reveal_bsn(info: Info, relation_id: str, bsn_encrypted: str | None) -> str | None:
    """The full BSN for viewers allowed to read it, audited per read; null for others."""
    actor = info.context.actor
    if bsn_encrypted is None or actor is None or not actor.can(Permission.READ_BSN):
        return None
    return await bsn_read(actor, relation_id, bsn_encrypted)
