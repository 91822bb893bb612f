"""The `relations` query: search words, filters, a stable order, opaque cursors, a count.

Everything is read from relation_search_token, whose covering index carries each token
with the relation's sort name, status, party type, kinds and legal form (see the model).
A relation's tokens are every prefix of its words (search_index.prefixes), so:
- Each word must prefix-match one of a relation's words, which is `token = word`; several
  words narrow. The most selective word drives, every other word is one probe per candidate
  on the (relation_id, token) index.
- Without words, the listing row every relation has (token "") drives.
The driving token's rows are already in (sort_name, id) order in the index: a page reads
its own rows and stops (plus those a further word or a filter turns down), and a count
reads the matches only, without DISTINCT. Neither depends on the size of the register
beyond the number of matches counted.
Order is (sort_name, id) and the cursor is that pair, so pages never overlap or skip,
whatever is written between two requests.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import inspect
import json
import uuid
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stdnum.nl import bsn as _bsn
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.connection import get_connection
from tortoise.expressions import Subquery

from server.auth import secretbox
from server.errors import Code, DomainError
from server.models import Relation, StaffAssignment
from server.services import graph, search_index
from server.services.relation_rows import KIND_BITS, mask_from_kinds
from server.services.search_tokens import query_words
from server.settings import get_settings

# Every word is a condition on the token index: a name, a number and a place is 3 or 4;
# more than this is not a search but a load (each costs a column and an index probe).
MAX_SEARCH_WORDS = 12
MAX_SEARCH_LENGTH = 300
ALL_MASKS = range(1, 1 << len(KIND_BITS))
DEFAULT_PAGE_SIZE = 25
DRIVER_SAMPLE = 5000  # relations counted per word to find the most selective one
LISTING = search_index.LISTING_TOKEN


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    has_next_page: bool
    end_cursor: str | None
    total_count: int | None  # None when not asked for


async def search_relations(
    search: str | None,
    filters: Mapping[str, Any] | None,
    first: int | None,
    after: str | None,
    columns: Sequence[str],
    *,
    count: bool = True,
) -> Page:
    """One page of relations matching `search` and `filters` (a RelationFilter dict).

    `first` is clamped to the maximum page size (100); archived relations are left out
    unless the filter asks for status ARCHIVED. `count=False` leaves the total out: it
    counts every match, the one part of a search that grows with the register.
    """
    size = _page_size(first)
    cursor = decode_cursor(after) if after else None
    filters = filters or {}
    if search is not None and len(search) > MAX_SEARCH_LENGTH:
        raise DomainError(
            Code.INVALID, f"A search is at most {MAX_SEARCH_LENGTH} characters.", ["search"]
        )
    words = query_words(search or "")
    if len(words) > MAX_SEARCH_WORDS:
        raise DomainError(
            Code.INVALID, f"A search is at most {MAX_SEARCH_WORDS} words.", ["search"]
        )
    keys, counting = await _matching_keys(words, filters, size, cursor, count)
    has_next = len(keys) > size
    keys = keys[:size]
    try:
        found = await Relation.filter(id__in=[k[1] for k in keys]).values(*columns)
    except BaseException:
        _drop(counting)
        raise
    by_id = {str(r["id"]): r for r in found}
    rows = [by_id[k[1]] for k in keys if k[1] in by_id]
    end = encode_cursor(*keys[-1]) if keys else None
    total = await counting if counting is not None else None
    return Page(rows, has_next, end, total)


def _page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0:
        raise DomainError(Code.INVALID, "first cannot be negative.", ["first"])
    return min(first, get_settings().max_page_size)


class _Sql:
    """Parameters in the dialect's style (? or $n).

    Statements are assembled from fixed text; every value goes in as a parameter.
    """

    def __init__(self) -> None:
        self.conn = get_connection("default")
        self.postgres = self.conn.capabilities.dialect == "postgres"
        self.params: list[Any] = []
        # Two statements at once need two connections: PostgreSQL's pool outside a
        # transaction (SQLite has one connection, a transaction one as well).
        self.concurrent = self.postgres and not isinstance(self.conn, TransactionalDBClient)

    def param(self, value: Any) -> str:
        self.params.append(value)
        return f"${len(self.params)}" if self.postgres else "?"

    def one_of(self, column: str, ids: list[str]) -> str:
        """`column` is one of `ids`, passed as ONE parameter whatever their number."""
        if self.postgres:
            return f"{column} = ANY({self.param(ids)}::uuid[])"
        return f"{column} IN (SELECT value FROM json_each({self.param(json.dumps(ids))}))"  # noqa: S608


async def _matching_keys(
    words: list[str],
    filters: Mapping[str, Any],
    size: int,
    cursor: tuple[str, str] | None,
    count: bool = True,
) -> tuple[list[tuple[str, str]], Awaitable[int] | None]:
    """The page's (sort_name, id) keys (one extra to tell a next page) and the total, to
    be awaited (None when not asked for)."""
    if await _names_a_bsn(words):
        return [], _none() if count else None
    words = await _most_selective_first(words)
    sql = _Sql()
    # A relation has each token at most once, so every row below is one relation.
    where = [f"t.token = {sql.param(words[0] if words else LISTING)}"]
    where.extend(_listed_filters(sql, filters))
    allowed = await _allowed_ids(filters)
    if allowed is not None:
        where.append(sql.one_of("t.relation_id", sorted(allowed)))
    where.extend(  # every further word: one probe of the (relation_id, token) index
        "EXISTS (SELECT 1 FROM relation_search_token p WHERE p.relation_id = t.relation_id "  # noqa: S608
        f"AND p.token = {sql.param(word)})"
        for word in words[1:]
    )
    driver = "FROM relation_search_token t WHERE " + " AND ".join(where)
    counting = None
    if count:  # the count reads every match: on PostgreSQL on its own connection, meanwhile
        counted = _count(sql, f"SELECT count(*) AS n {driver}", list(sql.params))
        counting = asyncio.ensure_future(counted) if sql.concurrent else counted
    if cursor:  # a row value: both engines seek the index to it
        driver += f" AND (t.sort_name, t.relation_id) > ({sql.param(cursor[0])}, "
        driver += f"{sql.param(cursor[1])})"
    try:
        found = await sql.conn.execute_query_dict(
            f"SELECT t.sort_name, t.relation_id {driver} "
            f"ORDER BY t.sort_name, t.relation_id LIMIT {size + 1}",
            sql.params,
        )
    except BaseException:
        _drop(counting)
        raise
    return [(r["sort_name"], str(r["relation_id"])) for r in found], counting


async def _none() -> int:
    return 0


async def _count(sql: _Sql, statement: str, params: list[Any]) -> int:
    return int((await sql.conn.execute_query_dict(statement, params))[0]["n"])


def _drop(counting: Awaitable[int] | None) -> None:
    """A count no longer wanted: a running one cancelled, one not started closed."""
    if isinstance(counting, asyncio.Future):
        if counting.done() and not counting.cancelled():
            counting.exception()  # retrieved: its failure is not the one to report
        counting.cancel()
    elif inspect.iscoroutine(counting):
        counting.close()


async def _names_a_bsn(words: list[str]) -> bool:
    """Whether a word is a registered BSN: such a search finds nothing (BSNs are not indexed)
    and the number is not sent to the database, whose debug log shows query parameters."""
    for word in words:
        if len(word) in (8, 9) and word.isdigit() and _bsn.is_valid(word.zfill(9)):
            index = secretbox.blind_index("bsn", word.zfill(9))
            if await Relation.exists(bsn_index=index):
                return True
    return False


async def _most_selective_first(words: list[str]) -> list[str]:
    """The words ordered by how many relations they match (capped count), fewest first."""
    if len(words) < 2:
        return words
    sql = _Sql()
    counts = ", ".join(
        f"(SELECT count(*) FROM (SELECT 1 FROM relation_search_token WHERE "  # noqa: S608
        f"token = {sql.param(word)} LIMIT {DRIVER_SAMPLE}) AS w{index})"
        for index, word in enumerate(words)
    )
    _, rows = await sql.conn.execute_query(f"SELECT {counts}", sql.params)
    sizes = list(rows[0].values()) if isinstance(rows[0], dict) else list(rows[0])
    order = sorted(range(len(words)), key=lambda i: (sizes[i], -len(words[i])))
    return [words[i] for i in order]


def _listed_filters(sql: _Sql, filters: Mapping[str, Any]) -> list[str]:
    """Conditions on the columns copied onto each token row."""
    where = []
    status = filters.get("status")
    where.append(f"t.status = {sql.param(status)}" if status else "t.status <> 'ARCHIVED'")
    for key, column in (("partyType", "party_type"), ("legalForm", "legal_form")):
        if filters.get(key) is not None:
            where.append(f"t.{column} = {sql.param(filters[key])}")
    if filters.get("kinds"):
        masks = _masks(filters["kinds"])
        where.append(f"t.kinds_mask IN ({', '.join(str(m) for m in masks)})")
    return where


async def _allowed_ids(filters: Mapping[str, Any]) -> set[str] | None:
    """Relation ids allowed by the assignedTo and customField filters (None: no limit)."""
    allowed: set[str] | None = None
    for subquery in await _id_subqueries(filters):
        query: Any = subquery.query  # a values() query: awaiting it runs it
        rows = await query
        ids = {str(next(iter(r.values())) if isinstance(r, dict) else r) for r in rows}
        allowed = ids if allowed is None else allowed & ids
    return allowed


def _masks(kinds: Sequence[str]) -> list[int]:
    """Every kinds_mask holding at least one of `kinds` (an indexable IN list)."""
    wanted = mask_from_kinds(kinds)
    return [m for m in ALL_MASKS if m & wanted]


async def _id_subqueries(filters: Mapping[str, Any]) -> list[Subquery]:
    found = []
    if filters.get("assignedTo") is not None:
        found.append(Subquery(_assigned(str(filters["assignedTo"]))))
    custom = filters.get("customField")
    if custom is not None:
        from server.services import custom_fields

        found.append(
            await custom_fields.relation_filter_subquery(custom.get("key"), custom.get("value"))
        )
    return found


def _assigned(employee_id: str) -> Any:
    """Relations the employee serves today (current assignments only); an id that is no
    employee's serves none."""
    if not _is_uuid(employee_id):
        employee_id = "00000000-0000-0000-0000-000000000000"
    current = graph.current_q(graph.office_date())
    return StaffAssignment.filter(current, employee_id=employee_id).values("relation_id")


def encode_cursor(sort_name: str, relation_id: Any) -> str:
    raw = json.dumps([sort_name, str(relation_id)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_name, relation_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error):
        raise DomainError(Code.INVALID, "This cursor is not valid.", ["after"]) from None
    if not isinstance(sort_name, str) or not _is_uuid(relation_id):
        raise DomainError(Code.INVALID, "This cursor is not valid.", ["after"])
    return sort_name, str(relation_id)


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)
