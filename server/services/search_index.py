"""Keeping the search tokens of relations in step with their rows.

`reindex` is called inside the writing transaction by every service that changes what a
relation is found by (its names, numbers, status, kinds, addresses or contact persons), so
the token rows commit or roll back together with the change itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from server.models import Address, ContactPerson, Relation, RelationSearchToken
from server.services.search_tokens import relation_tokens

# Every relation has one row with this token: the search without words pages over it.
LISTING_TOKEN = ""
# Copied onto every token row so the search never reads the relation row per candidate.
LISTED_COLUMNS = ("sort_name", "status", "party_type", "kinds_mask", "legal_form")
RELATION_COLUMNS = (
    "id", "number", "party_type", "display_name", "legal_name", "first_names", "given_name",
    "prefix", "last_name", "trade_names", "email", "kvk_number", "establishment_number", "rsin",
    "vat_number", "legal_form", "bsn_index", "sort_name", "status", "kinds_mask",
)  # fmt: skip
ADDRESS_COLUMNS = ("relation_id", "postal_code", "city")
CONTACT_COLUMNS = ("relation_id", "first_name", "prefix", "last_name", "email")


def token_rows(
    relation: Mapping[str, Any],
    addresses: Iterable[Mapping[str, Any]] = (),
    contacts: Iterable[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """The relation_search_token rows of one relation (also used by the benchmark loader)."""
    listed = {column: relation.get(column) for column in LISTED_COLUMNS}
    listed["kinds_mask"] = listed["kinds_mask"] or 0
    tokens = {LISTING_TOKEN, *relation_tokens(relation, addresses, contacts)}
    return [{"relation_id": relation["id"], "token": token, **listed} for token in sorted(tokens)]


async def reindex(relation_ids: Iterable[Any]) -> None:
    """Rebuild the search tokens of these relations from their current rows."""
    ids = list(dict.fromkeys(str(r) for r in relation_ids))
    if not ids:
        return
    relations = await Relation.filter(id__in=ids).values(*RELATION_COLUMNS)
    addresses = _grouped(await Address.filter(relation_id__in=ids).values(*ADDRESS_COLUMNS))
    contacts = _grouped(await ContactPerson.filter(relation_id__in=ids).values(*CONTACT_COLUMNS))
    await RelationSearchToken.filter(relation_id__in=ids).delete()
    rows = [
        RelationSearchToken(**row)
        for relation in relations
        for row in token_rows(
            relation, addresses[str(relation["id"])], contacts[str(relation["id"])]
        )
    ]
    await RelationSearchToken.bulk_create(rows, batch_size=500)


def _grouped(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[str(row["relation_id"])].append(row)
    return grouped
