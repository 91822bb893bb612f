"""RelationCard latency for a small and a large card: `python -m bench.card --db URL`.

The operation is the contract's RelationCard.graphql, unchanged, for two relations of a
register made by bench.generate + bench.generate_large: the first ordinary organisation
with one to four contacts (small) and the large relation (500 contacts, 100 links, 50
staff, 2,000 appointments, a group, custom fields). Without a period all 2,000
appointments are on the large card.

- in-process: schema.execute with a signed-in Context (parse, validate, resolve; no HTTP),
  at each concurrency; p50/p99 of the wall time and the CPU time of this process per card.
- `--http`: against a real `relatiebeheer serve [--workers N]` on 127.0.0.1 with N
  concurrent httpx clients sharing one AsyncClient; the server's RSS idle and at its peak.
- SQL statements per card, counted on the `tortoise.db_client` logger, and the statements
  whose query plan scans a whole table (EXPLAIN), because those grow with the register.
Prints Markdown tables; `--json PATH` keeps every figure for bench/run_all.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bench import DATA_DIR
from bench.load.clients import Run, drive, first_wave_estimate
from bench.load.data import operation, small_ids
from bench.load.server import ensure_user, serve
from server import db
from tests.sql_log import logged_statements

CARD = operation("RelationCard")
# The statement count that tests/api/test_card.py holds the card to.
BASELINE = Path(__file__).resolve().parents[1] / "tests" / "api" / "sql_baseline.json"


async def cards() -> dict[str, str]:
    from bench.generate_large import large_relation_id

    large = await large_relation_id()
    if large is None:
        raise SystemExit("no large relation: run python -m bench.generate_large first")
    return {"small": (await small_ids())[0], "large": large}


async def full_scans(statements: list[tuple[str, Any]]) -> list[str]:
    """`SCAN <table>` once per table read whole (no index) in a statement's plan.

    PostgreSQL names the table ("Seq Scan on shareholding s_1"); SQLite names the alias when
    the statement gives one ("SCAN s"), which is resolved to its table here, and a scan of a
    common table expression (the group's `up`/`down` work tables) reads no table at all.
    """
    from tortoise import Tortoise
    from tortoise.connection import get_connection

    conn = get_connection("default")
    postgres = db.is_postgres()
    tables = {m._meta.db_table for app in Tortoise.apps.values() for m in app.values()}
    found = []
    for sql, values in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
        _, rows = await conn.execute_query(explain + sql, list(values or []))
        for row in rows:
            if postgres:
                table = _pg_seq_scan(str(row[0]))
            else:
                table = _sqlite_full_scan(sql, row["detail"], tables)
            if table:
                found.append(f"SCAN {table}")
    return found


def _pg_seq_scan(line: str) -> str | None:
    match = re.search(r"Seq Scan on (\w+)", line)
    return match.group(1) if match else None


def _sqlite_full_scan(sql: str, detail: str, tables: set[str]) -> str | None:
    """The table a `SCAN x` plan line reads whole; None for an index, a CTE or a subquery
    (`tables`: the names of the real tables)."""
    match = re.match(r"SCAN (\w+)(.*)$", detail)
    if not match or "INDEX" in match.group(2) or "CONSTANT" in match.group(2):
        return None
    name = match.group(1)
    ctes = set(
        re.findall(r"(?:WITH(?:\s+RECURSIVE)?|,)\s*(\w+)\s*(?:\([^)]*\))?\s+AS\s*\(", sql, re.I)
    )
    pairs = re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?\s+(?:AS\s+)?"?(\w+)"?', sql, re.I)
    # One alias may stand for several tables in one statement ("relation r", "roots r").
    named = {table for table, alias in pairs if alias == name} or {name}
    return "/".join(sorted((named - ctes) & tables)) or None


async def in_process(args: argparse.Namespace, ids: dict[str, str]) -> dict[str, Any]:
    """Statements per card and latency/CPU per card at each concurrency, no HTTP."""
    import server.schema  # noqa: F401 - the schema before the resolvers (import order)
    from server.auth.permissions import Actor, Role
    from server.context import Context
    from server.schema import get_schema

    schema = get_schema()
    actor = Actor(id="00000000-0000-4000-8000-0000000000b1", role=Role.MANAGER, name="bench")

    async def card(relation_id: str) -> None:
        result = await schema.execute(
            CARD, variable_values={"id": relation_id}, context_value=Context(None, actor)
        )
        if result.errors or not (result.data or {}).get("relation"):
            raise RuntimeError(f"card failed: {result.errors}")

    found: dict[str, Any] = {"statements": {}, "scans": {}, "runs": []}
    for name, relation_id in ids.items():
        await card(relation_id)  # warm: parser caches, page cache
        with logged_statements() as log:
            await card(relation_id)
        found["statements"][name] = len(log.statements)
        found["scans"][name] = await full_scans(log.executed)
        single = await drive(partial(card, relation_id), Run(name, 1), args.seconds, cpu=True)
        for concurrency in args.concurrency:
            run = single if concurrency == 1 else Run(name, concurrency)
            estimate = first_wave_estimate(single.percentile(50), concurrency, 1)
            if concurrency != 1 and estimate > args.cap:
                run.skipped = f"not run: first wave ~{estimate:.0f} s > cap {args.cap:.0f} s"
            elif concurrency != 1:
                await drive(partial(card, relation_id), run, args.seconds, cpu=True)
            found["runs"].append(run.summary())
    return found


async def over_http(
    args: argparse.Namespace, ids: dict[str, str], base: str, token: str, rss: Any
) -> list[dict[str, Any]]:
    """N concurrent clients over loopback; each run's latency, throughput and peak RSS."""
    runs = []
    limits = httpx.Limits(max_connections=max(args.concurrency), max_keepalive_connections=None)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=600) as http:

        async def card(relation_id: str) -> None:
            body = {"query": CARD, "variables": {"id": relation_id}}
            response = await http.post("/graphql", json=body, headers=headers)
            if response.status_code != 200 or b'"errors"' in response.content:
                raise RuntimeError(f"card failed: {response.status_code} {response.text[:300]}")

        for name, relation_id in ids.items():
            failed = await _fails(card(relation_id))  # the warm-up: a failing card stops here
            single: Run | None = None
            for concurrency in args.concurrency:
                run = Run(name, concurrency)
                estimate = first_wave_estimate(
                    single.percentile(50) if single else 0, concurrency, args.workers
                )
                if failed:
                    run.skipped = failed
                elif estimate > args.cap:
                    run.skipped = f"not run: first wave ~{estimate:.0f} s > cap {args.cap:.0f} s"
                else:
                    failed = await _fails(
                        drive(partial(card, relation_id), run, args.seconds, rss=rss)
                    )
                    run.skipped = failed
                single = single or run
                runs.append(run.summary())
    return runs


async def _fails(work: Any) -> str | None:
    """None when `work` succeeds, else why it failed (the run is reported as failed)."""
    try:
        await work
    except (RuntimeError, ExceptionGroup) as error:
        first = error.exceptions[0] if isinstance(error, ExceptionGroup) else error
        return f"failed: {str(first)[:160]}"
    return None


async def prepare(url: str) -> dict[str, str]:
    await db.init(url)
    try:
        await ensure_user()
        return await cards()
    finally:
        await db.close()


async def measure_in_process(args: argparse.Namespace) -> dict[str, Any]:
    await db.init(args.db)
    try:
        return await in_process(args, await cards())
    finally:
        await db.close()


def measure_http(args: argparse.Namespace, ids: dict[str, str]) -> dict[str, Any]:
    args.data_dir.mkdir(parents=True, exist_ok=True)
    with serve(args.db, args.data_dir, args.workers) as server:
        token = server.login()
        idle = server.rss_mib()
        runs = asyncio.run(over_http(args, ids, server.base, token, server.rss_mib))
        return {"workers": args.workers, "rss_idle_mib": idle, "runs": runs}


def table(runs: list[dict[str, Any]]) -> str:
    lines = ["| card | clients | requests | p50 | p99 | req/s | CPU/card | peak RSS |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for r in runs:
        if r.get("skipped"):
            lines.append(f"| {r['card']} | {r['concurrency']} | {r['skipped']} |||||")
            continue
        cpu = f"{r['cpu_ms']:.1f} ms" if r.get("cpu_ms") is not None else "-"
        rss = f"{r['peak_rss_mib']:.0f} MiB" if r.get("peak_rss_mib") else "-"
        lines.append(
            f"| {r['card']} | {r['concurrency']} | {r['requests']} | {r['p50_ms']:.1f} ms "
            f"| {r['p99_ms']:.1f} ms | {r['rps']:.1f} | {cpu} | {rss} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="sqlite:///path or postgres://...")
    parser.add_argument("--concurrency", type=lambda s: [int(n) for n in s.split(",")],
                        default=[1, 16, 64])  # fmt: skip
    parser.add_argument("--seconds", type=float, default=10.0, help="per run")
    parser.add_argument("--cap", type=float, default=180.0, help="longest first wave, s")
    parser.add_argument("--http", action="store_true", help="also over HTTP")
    parser.add_argument("--no-in-process", action="store_true")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    ids = asyncio.run(prepare(args.db))
    found: dict[str, Any] = {"db": args.db.split("@")[-1], "cards": ids}
    if not args.no_in_process:
        found["in_process"] = asyncio.run(measure_in_process(args))
        baseline = json.loads(BASELINE.read_text())["RelationCard"]
        found["in_process"]["baseline"] = baseline
        print(f"statements per card: {found['in_process']['statements']} "
              f"(tests/api/sql_baseline.json: {baseline})")  # fmt: skip
        for name, scans in found["in_process"]["scans"].items():
            print(f"full scans, {name} card: {scans or 'none'}")
        print(table(found["in_process"]["runs"]))
    if args.http:
        found["http"] = measure_http(args, ids)
        print(f"HTTP, --workers {args.workers}, idle RSS {found['http']['rss_idle_mib']:.0f} MiB")
        print(table(found["http"]["runs"]))
    if args.json:
        args.json.write_text(json.dumps(found, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
