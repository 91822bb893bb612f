"""Search latency over a generated register: `python -m bench.search --db sqlite:///path`.

Each realistic search (a name prefix, two words, a KvK number, a postcode, a contact's
e-mail address, with and without filters) runs `--runs` times, after one warm-up run,
through two doors: the raw service (services.search.search_relations) and the whole API
schema in-process (schema.execute with a signed-in Context: parsing, validation, limits,
resolvers). Prints the median and p95 wall-clock time and the median CPU time per search and
over all of them, as a Markdown table.
The searched values are read from the data set itself, so every search finds something.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server import db
from server.auth.permissions import Actor, Role
from server.context import Context
from server.models import Address, ContactPerson, Relation

QUERY = """query($s: String, $f: RelationFilter) { relations(search: $s, filter: $f, first: 25) {
  edges { cursor node { id number displayName partyType kinds status legalForm } }
  pageInfo { hasNextPage endCursor } totalCount } }"""


async def searches() -> list[tuple[str, str | None, dict[str, Any] | None]]:
    """(label, search text, filter) with values taken from the data set."""
    # Of relations that are not archived: a search without a status filter leaves those out.
    kvk = (
        await Relation.filter(kvk_number__isnull=False, status__not="ARCHIVED")
        .order_by("number")
        .first()
    )
    postcode = await Address.filter(relation__status__not="ARCHIVED").order_by("id").first()
    contact = (
        await ContactPerson.filter(email__isnull=False, relation__status__not="ARCHIVED")
        .order_by("id")
        .first()
    )
    assert kvk and postcode and contact, "generate the data set first (python -m bench.generate)"
    spaced = f"{postcode.postal_code[:4]} {postcode.postal_code[4:]}"
    return [
        ("name prefix", "jans", None),
        ("name prefix", "bakk", None),
        ("name, diacritics", "ozturk", None),
        ("two words", "jan jansen", None),
        ("two words", "bakkerij utrecht", None),
        ("two words", "de vries", None),
        ("KvK number", kvk.kvk_number, None),
        ("postcode with space", spaced, None),
        ("contact e-mail", contact.email, None),
        ("prefix + kinds + party type", "jans", {"kinds": ["CLIENT"], "partyType": "ORGANISATION"}),
        ("prefix + legal form", "bakker", {"legalForm": "BV"}),
        ("filter only", None, {"kinds": ["SUPPLIER"], "status": "ACTIVE"}),
    ]


async def timed(call: Callable[[], Awaitable[Any]], runs: int) -> Timing:
    """Wall-clock and CPU milliseconds per call. CPU time counts every thread of this
    process (SQLite runs in aiosqlite's thread): on a shared, busy machine it shows what
    the work costs, where wall-clock time also counts waiting for a CPU."""
    await call()  # warm-up: parser caches, SQLite page cache
    timing = Timing([], [])
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        await call()
        timing.wall.append((time.perf_counter() - wall) * 1000)
        timing.cpu.append((time.process_time() - cpu) * 1000)
    return timing


@dataclass
class Timing:
    wall: list[float]
    cpu: list[float]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def measure(url: str, runs: int) -> list[tuple[str, str, int, Timing, Timing]]:
    import server.schema  # noqa: F401 - schema before resolvers (import order)
    from server.resolvers.register import RELATION_COLUMNS
    from server.schema import get_schema
    from server.services.search import search_relations

    await db.init(url)
    try:
        schema = get_schema()
        actor = Actor(id="00000000-0000-4000-8000-000000000001", role=Role.EMPLOYEE, name="bench")
        results = []
        for label, text, filters in await searches():

            async def service(text: str | None = text, filters: Any = filters) -> Any:
                return await search_relations(text, filters, 25, None, RELATION_COLUMNS)

            async def api(text: str | None = text, filters: Any = filters) -> Any:
                context = Context(request=None, actor=actor)
                result = await schema.execute(
                    QUERY, variable_values={"s": text, "f": filters}, context_value=context
                )
                assert result.errors is None, result.errors
                return result

            total = (await service()).total_count
            results.append((label, text or "", total, await timed(service, runs),
                            await timed(api, runs)))  # fmt: skip
        return results
    finally:
        await db.close()


def report(results: list[tuple[str, str, int, Timing, Timing]]) -> str:
    lines = [
        "| search | text | found | service median | p95 | CPU | API median | p95 | CPU |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, text, total, service, api in results:
        lines.append(f"| {label} | `{text}` | {total} | {_cells(service)} | {_cells(api)} |")
    every_service = Timing([t for r in results for t in r[3].wall],
                           [t for r in results for t in r[3].cpu])  # fmt: skip
    every_api = Timing(
        [t for r in results for t in r[4].wall], [t for r in results for t in r[4].cpu]
    )
    lines.append(f"| **all searches** | | | {_cells(every_service)} | {_cells(every_api)} |")
    return "\n".join(lines)


def _cells(timing: Timing) -> str:
    median, cpu = statistics.median(timing.wall), statistics.median(timing.cpu)
    return f"{median:.1f} ms | {p95(timing.wall):.1f} ms | {cpu:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="sqlite:///path or postgres://...")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", type=Path, help="write the figures here (bench/run_all.py)")
    args = parser.parse_args(argv)
    results = asyncio.run(measure(args.db, args.runs))
    text = report(results)
    print(text)
    if args.json:
        searches = [
            {"search": label, "text": term, "found": total,
             "service": _figures(service), "api": _figures(api)}
            for label, term, total, service, api in results
        ]  # fmt: skip
        found = {"db": args.db.split("@")[-1], "runs": args.runs, "searches": searches,
                 "table": text}  # fmt: skip
        args.json.write_text(json.dumps(found, indent=1), encoding="utf-8")
    return 0


def _figures(timing: Timing) -> dict[str, float]:
    return {"median_ms": statistics.median(timing.wall), "p95_ms": p95(timing.wall),
            "cpu_ms": statistics.median(timing.cpu)}  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
