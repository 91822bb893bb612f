"""What the wrk scripts send: ids, search terms and JSON-encoded operations, as a Lua file.

Values are read from the data set itself (Tortoise initialised), so every search finds
something and every edit hits a real row; the choice is seeded, hence the same every run.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

# The contract sits beside the project (../shared/contract), as its README says.
CONTRACT = Path(
    os.environ.get(
        "RELATIEBEHEER_CONTRACT_OPERATIONS",
        Path(__file__).resolve().parents[3] / "shared" / "contract" / "operations",
    )
)
WEBSITE = """mutation($id: ID!, $input: RelationInput!) { updateRelation(id: $id, input: $input) {
  relation { id website } problems: errors { code field message } } }"""
PHONE = """mutation($id: ID!, $input: ContactPersonInput!) {
  updateContactPerson(id: $id, input: $input) {
  contact { id phone } problems: errors { code field message } } }"""


def operation(name: str) -> str:
    """The contract's operation text, exactly as the cockpit sends it."""
    return (CONTRACT / f"{name}.graphql").read_text(encoding="utf-8")


def small_ids_sql() -> str:
    """Active organisations with one to four contacts: the ordinary card of an office."""
    return (
        "SELECT r.id FROM relation r WHERE r.party_type = 'ORGANISATION' "
        "AND r.status = 'ACTIVE' "
        "AND (SELECT COUNT(*) FROM contact_person c WHERE c.relation_id = r.id) BETWEEN 1 AND 4 "
        "ORDER BY r.number LIMIT 500"
    )


async def small_ids() -> list[str]:
    from tortoise.connection import get_connection

    rows = await get_connection("default").execute_query_dict(small_ids_sql())
    return [str(r["id"]) for r in rows]


async def mixed_values(seed: int = 11) -> dict[str, Any]:
    """Ids for cards and edits, contact ids and search terms taken from the register."""
    from server.models import ContactPerson, Relation

    rng = random.Random(seed)
    ids = await small_ids()
    edit_ids = [str(i) for i in await Relation.filter(party_type="ORGANISATION")
                .order_by("-number").limit(1000).values_list("id", flat=True)]  # fmt: skip
    contact_ids = [str(i) for i in await ContactPerson.all().order_by("id").limit(1000)
                   .values_list("id", flat=True)]  # fmt: skip
    # The first 1,000 relations are the same in every register of bench.generate (one seed).
    names = (
        await Relation.all()
        .order_by("number")
        .limit(1000)
        .values_list("display_name", "kvk_number")
    )
    terms: set[str] = set()
    for name, kvk in rng.sample(list(names), 300):
        words = [w for w in str(name).split() if len(w) >= 4 and w.isalpha()]
        if words:
            word = rng.choice(words).lower()
            terms.add(word[: rng.randrange(3, len(word) + 1)])
        if kvk and rng.random() < 0.2:
            terms.add(str(kvk))
    return {"ids": ids, "edit_ids": edit_ids, "contact_ids": contact_ids,
            "terms": sorted(terms)}  # fmt: skip


def _lua(value: Any) -> str:
    if isinstance(value, str):
        return f"[==[{value}]==]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "{" + ",".join(_lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}={_lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def write_lua(path: Path, *, card: str, ids: list[str], token: str | None = None,
              graphql_path: str = "/graphql", seed: int = 1, **extra: Any) -> Path:  # fmt: skip
    """The data file for card.lua / mixed.lua: operations and terms JSON-encoded once."""
    values: dict[str, Any] = {"path": graphql_path, "seed": seed, "card": json.dumps(card),
                              "ids": ids}  # fmt: skip
    if token:
        values["token"] = token
    for name, value in extra.items():
        if name == "terms":
            values[name] = [json.dumps(term, ensure_ascii=False) for term in value]
        elif name in ("search", "website", "phone"):
            values[name] = json.dumps(value)
        else:
            values[name] = value
    path.write_text("return " + _lua(values) + "\n", encoding="utf-8")
    return path
