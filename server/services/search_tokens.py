"""The words a relation is found by, and the words of a search query.

Both sides fold text the same way (identifiers.fold: lower case, no diacritics), so
"cooperatie" finds "Coöperatie". A relation's tokens come from its names, numbers
(relation number, KvK, RSIN, btw-id, vestigingsnummer), general e-mail, addresses
(postcode compact, city) and contact persons (names, e-mail). A BSN never becomes a token:
persons' BSNs are not indexed, numbers that may hold one (an eenmanszaak's OB number) are
left out, and any 9-digit run whose blind index equals the relation's BSN index is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from stdnum.nl import bsn as _bsn

from server.auth import secretbox
from server.services import identifiers

TOKEN_MAX = 64  # relation_search_token.token
_WORD = re.compile(r"[^\W_]+")
_NINE_DIGITS = re.compile(r"(?=(\d{9}))")
# "1234 AB" typed with a space is one postcode word, as it is stored ("1234ab").
_SPACED_POSTCODE = re.compile(r"\b([1-9]\d{3})\s+([a-z]{1,2})\b")
# Forms whose btw-id/OB number and RSIN may be derived from the owner's BSN.
_BSN_BASED_FORMS = frozenset({None, "", "EENMANSZAAK"})

RELATION_TEXT = ("display_name", "legal_name", "first_names", "given_name", "prefix", "last_name")
CONTACT_TEXT = ("first_name", "prefix", "last_name", "email")


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    return identifiers.fold(text)  # names repeat a lot: cached for reindexing in bulk


def words(text: str) -> list[str]:
    """Index words of a text: each part, and each chunk with inner punctuation joined.

    An e-mail address is its parts only: a query of an address is split into the same
    parts (query_words), and every prefix of "jan.jansen@example.nl" run together would
    be some twenty tokens nobody types.
    """
    out: list[str] = []
    for chunk in _fold(text).split():
        parts = _WORD.findall(chunk)
        out.extend(parts)
        if len(parts) > 1 and "@" not in chunk:
            out.append("".join(parts))  # "b.v." -> "bv", "o'brien" -> "obrien"
    return out


def query_words(query: str) -> list[str]:
    """The words of a search query; each must prefix-match a token of a relation.

    A chunk of digits with separators ("1234.56.78") is one number; other chunks with
    punctuation ("jan.jansen@example.nl") count as their parts.
    """
    folded = _SPACED_POSTCODE.sub(r"\1\2", identifiers.fold(query))
    found: dict[str, None] = {}  # ordered and without repeats, in linear time
    for chunk in folded.split():
        parts = _WORD.findall(chunk)
        if len(parts) > 1 and all(p.isdigit() for p in parts):
            parts = ["".join(parts)]
        for part in parts:
            found[part[:TOKEN_MAX]] = None
    return list(found)


def relation_tokens(
    relation: Mapping[str, Any],
    addresses: Iterable[Mapping[str, Any]] = (),
    contacts: Iterable[Mapping[str, Any]] = (),
) -> set[str]:
    """Every search token of one relation (rows as dicts of columns)."""
    texts: list[str] = [str(relation[c]) for c in RELATION_TEXT if relation.get(c)]
    texts.extend(str(name) for name in relation.get("trade_names") or [])
    texts.extend(str(relation[c]) for c in ("number", "email") if relation.get(c))
    texts.extend(_numbers(relation))
    for address in addresses:
        texts.extend(str(address[c]) for c in ("postal_code", "city") if address.get(c))
    for contact in contacts:
        texts.extend(str(contact[c]) for c in CONTACT_TEXT if contact.get(c))
    tokens = {w[:TOKEN_MAX] for text in texts for w in words(text)}
    bsn_index = relation.get("bsn_index")
    if bsn_index:
        tokens = {t for t in tokens if not _holds_bsn(t, str(bsn_index))}
    return tokens


def _numbers(relation: Mapping[str, Any]) -> list[str]:
    out = [str(relation[c]) for c in ("kvk_number", "establishment_number") if relation.get(c)]
    may_hold_bsn = relation.get("legal_form") in _BSN_BASED_FORMS
    rsin = relation.get("rsin")
    if rsin and not may_hold_bsn:
        out.append(str(rsin))
    vat = str(relation.get("vat_number") or "")
    if vat and not (may_hold_bsn and _bsn.is_valid(vat[2:11])):
        out.extend((vat, vat[2:]))  # found with and without the "NL"
    return out


def _holds_bsn(token: str, bsn_index: str) -> bool:
    return any(
        secretbox.blind_index("bsn", run) == bsn_index for run in _NINE_DIGITS.findall(token)
    )
