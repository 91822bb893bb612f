"""Cost growth: the card and search at 1,000 and at 100,000 relations.

    python -m bench.growth --small-db URL_1K --large-db URL_100K [--runs 20] [--rounds 3]

For each register (alternately, --rounds times), in-process and one at a time (so the
figures are the cost of the work, not of waiting for each other): the small and the large
RelationCard, and RelationSearch (the contract's operation, first 25) for the same 40 search
terms read from the register's first 1,000 relations (the same in every register that
bench.generate writes); the page without totalCount; and the name-word terms that fill
the whole first page in both registers. The last is the growth of the search itself: most
of the 40 terms find fewer than 25 relations among 1,000 and a full page among 100,000, so
their answer in the large register has up to three times the rows to complete (GraphQL's
cost per row), whereas a term that fills the page in both has the same output and about
100 times the matches to find and count. Wall-clock p50/p99 and the median CPU time of
this process per operation; the ratio 100,000 / 1,000 is the growth (target: at most 1.3).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.load.data import mixed_values, operation
from server import db, heap

CARD, SEARCH = operation("RelationCard"), operation("RelationSearch")
# The same page without the exact total: the total counts every match, and a term matches
# about 100 times as many relations in a register 100 times as large.
PAGE_ONLY = SEARCH.replace("totalCount", "")


Samples = dict[str, dict[str, list[float]]]


async def timed(call: Callable[[], Awaitable[None]], runs: int) -> dict[str, list[float]]:
    await call()  # warm: parser caches, page cache
    wall, cpu = [], []
    for _ in range(runs):
        began, cpu_began = time.perf_counter(), time.process_time()
        await call()
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - cpu_began) * 1000)
    return {"wall": wall, "cpu": cpu}


PAGE = 25


async def full_page_terms(url: str) -> list[str]:
    """The search terms (of every sampled name word, not only the first 40) that find a
    whole page already among 1,000 relations: the same 25 rows to complete in both
    registers, and about 100 times the matches to find and count in the larger one."""
    await db.init(url)
    try:
        from server.services.search import search_relations

        found = []
        for term in (await mixed_values())["terms"]:
            page = await search_relations(term, None, PAGE, None, ["id"], count=True)
            if not term.isdigit() and (page.total_count or 0) >= PAGE:
                found.append(term)
        return found
    finally:
        await db.close()


async def measure(url: str, runs: int, large_runs: int, full: list[str]) -> Samples:
    """Wall and CPU milliseconds of each operation on one register."""
    # Tortoise first: some resolver modules read model column lists when imported.
    await db.init(url)
    import server.schema  # noqa: F401 - the schema before the resolvers (import order)
    from bench.card import cards
    from server.auth.permissions import Actor, Role
    from server.context import Context
    from server.schema import get_schema

    schema = get_schema()
    actor = Actor(id="00000000-0000-4000-8000-0000000000b2", role=Role.MANAGER, name="bench")

    async def execute(query: str, variables: dict[str, Any]) -> None:
        result = await schema.execute(query, variables, context_value=Context(None, actor))
        assert result.errors is None, result.errors

    try:
        ids = await cards()
        terms = (await mixed_values())["terms"][:40]
        await execute(SEARCH, {"search": terms[0], "first": PAGE})
        heap.settle()  # as `relatiebeheer serve` does once started
        found: Samples = {}
        for name, relation_id in ids.items():
            count = runs if name == "small" else large_runs
            found[f"{name} card"] = await timed(partial(execute, CARD, {"id": relation_id}), count)

        def searches(query: str, chosen: list[str]) -> Callable[[], Awaitable[None]]:
            position = iter(range(10**9))

            async def search() -> None:
                term = chosen[next(position) % len(chosen)]
                await execute(query, {"search": term, "first": PAGE})

            return search

        count = runs * len(terms) // 4
        found["search"] = await timed(searches(SEARCH, terms), count)
        found["search, a full page at 1k too"] = await timed(searches(SEARCH, full), count)
        found["search, page without totalCount"] = await timed(searches(PAGE_ONLY, terms), count)
        return found
    finally:
        await db.close()


def summary(rounds: list[Samples]) -> dict[str, Any]:
    """p50/p99 of the wall time and the median CPU time over every round's samples."""
    found: dict[str, Any] = {}
    for name in rounds[0]:
        wall = sorted(t for r in rounds for t in r[name]["wall"])
        cpu = [t for r in rounds for t in r[name]["cpu"]]
        found[name] = {"p50_ms": wall[len(wall) // 2], "runs": len(wall),
                       "p99_ms": wall[min(len(wall) - 1, len(wall) * 99 // 100)],
                       "cpu_ms": statistics.median(cpu)}  # fmt: skip
    return found


def compare(small: dict[str, Any], large: dict[str, Any]) -> str:
    lines = ["| operation | p50 at 1k | p50 at 100k | ratio | p99 at 1k | p99 at 100k | ratio "
             "| CPU at 1k | CPU at 100k | ratio |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name in small:
        cells = [name]
        for key in ("p50_ms", "p99_ms", "cpu_ms"):
            a, b = small[name][key], large[name][key]
            cells += [f"{a:.1f} ms", f"{b:.1f} ms", f"{b / a:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small-db", required=True, help="the 1,000-relation register")
    parser.add_argument("--large-db", required=True, help="the 100,000-relation register")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--large-runs", type=int, default=4, help="of the large card")
    parser.add_argument("--rounds", type=int, default=3, help="alternating 1k and 100k")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    # Alternating the registers spreads a busy spell of a shared machine over both.
    rounds: dict[str, list[Samples]] = {"1k": [], "100k": []}
    full = asyncio.run(full_page_terms(args.small_db))
    print(f"{len(full)} terms find a full page among 1,000 relations: {', '.join(full)}")
    for _ in range(args.rounds):
        for name, url in (("1k", args.small_db), ("100k", args.large_db)):
            rounds[name].append(asyncio.run(measure(url, args.runs, args.large_runs, full)))
    small, large = summary(rounds["1k"]), summary(rounds["100k"])
    print(compare(small, large))
    if args.json:
        args.json.write_text(json.dumps({"1k": small, "100k": large}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
