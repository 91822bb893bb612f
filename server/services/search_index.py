"""Keeping the search tokens of relations in step with their rows.

A relation's tokens are every prefix of the words it is found by (an "edge n-gram" index,
as search-as-you-type engines keep), plus the listing token every relation has.

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
    tokens = {LISTING_TOKEN, *prefixes(relation_tokens(relation, addresses, contacts))}
    return [{"relation_id": relation["id"], "token": token, **listed} for token in sorted(tokens)]


def prefixes(words: Iterable[str]) -> set[str]:
    """Every prefix of every word (the words themselves included), each once.

    A search word then matches by equality: the relations found by "bak" are the rows of
    token "bak", already in name order in the index, so a page reads only its own rows and
    a count reads only the matches, without DISTINCT, however many words start with "bak".
    """
    return {word[:end] for word in words for end in range(1, len(word) + 1)}


async def reindex(relation_ids: Iterable[Any]) -> None:
    """Bring the search tokens of these relations in step with their current rows.

    Only the difference is written: an address change deletes and adds the rows of its
    postcode and city, not the hundred-odd rows of every prefix of every name.
    """
    ids = list(dict.fromkeys(str(r) for r in relation_ids))
    if not ids:
        return
    # Row-locked (PostgreSQL), in id order: two writes that both reindex a relation (a
    # contact added while its person is renamed) take turns, so neither adds a token row
    # the other is adding too (a row twice would list the relation twice).
    await Relation.select_for_update().filter(id__in=ids).order_by("id").only("id")
    relations = await Relation.filter(id__in=ids).values(*RELATION_COLUMNS)
    addresses = by_relation(await Address.filter(relation_id__in=ids).values(*ADDRESS_COLUMNS))
    contacts = by_relation(await ContactPerson.filter(relation_id__in=ids).values(*CONTACT_COLUMNS))
    wanted: dict[tuple[Any, ...], dict[str, Any]] = {}
    for relation in relations:
        rid = str(relation["id"])
        for row in token_rows(relation, addresses[rid], contacts[rid]):
            wanted[_key(row)] = row
    stale: list[int] = []
    for row in await RelationSearchToken.filter(relation_id__in=ids).values(*_ROW_COLUMNS):
        if wanted.pop(_key(row), None) is None:  # a second copy of a row is stale as well
            stale.append(row["id"])
    if stale:
        await RelationSearchToken.filter(id__in=stale).delete()
    if wanted:
        await RelationSearchToken.bulk_create(
            [RelationSearchToken(**row) for row in wanted.values()], batch_size=500
        )


_ROW_COLUMNS = ("id", "relation_id", "token", *LISTED_COLUMNS)


def _key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (str(row["relation_id"]), row["token"], *(row[c] for c in LISTED_COLUMNS))


def by_relation(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[str(row["relation_id"])].append(row)
    return grouped
