"""Every measurement of docs/benchmarks.md in one go: `python -m bench.run_all`.

Creates the registers when missing (SQLite files under --dir; PostgreSQL databases rb_bench
and rb_bench_1k on 127.0.0.1:5432, dropped at the end unless --keep), then runs each step
as its own process, printing the exact command first, and writes every figure as JSON and
the tables as Markdown (--dir/report.md), with the machine, the versions and the load
average before and after each step (the machine may be shared).

Steps (--only card,growth,search,load,side): card latency in-process and over HTTP, cost
growth 1k -> 100k, search latency per kind of search, the mixed wrk load test, PostGraphile
side by side. A register that is missing, half written or made by other migrations than the
current ones is written first (see `registers`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
import sqlite3
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench import CHOSEN_DATA_DIR
from bench.load import report

PG = "postgres://postgres@127.0.0.1:5432"
PY = [sys.executable, "-m"]
STEPS = ("card", "growth", "search", "load", "side")


def step(name: str, command: list[str], log: list[dict[str, Any]]) -> None:
    shown = " ".join(shlex.quote(c) for c in ["python", *command[1:]])
    print(f"\n$ {shown}", flush=True)
    before, began = os.getloadavg()[0], time.perf_counter()
    # A failing step is recorded and the others still run.
    done = subprocess.run(command, check=False)
    log.append({"step": name, "command": shown, "seconds": time.perf_counter() - began,
                "load_before": before, "load_after": os.getloadavg()[0],
                "exit": done.returncode})  # fmt: skip


async def _pg(sql: str, database: str = "postgres") -> Any:
    import asyncpg

    conn = await asyncpg.connect(f"{PG}/{database}")
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


LARGE = (  # relations with the large card's 500 contacts (bench.generate_large)
    "SELECT COUNT(*) FROM (SELECT relation_id FROM contact_person GROUP BY relation_id "
    "HAVING COUNT(*) >= 500) AS large"
)
# The schema as tables.columns and the names of the indexes the migrations create (idx_…).
SQLITE_SCHEMA = (
    "SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
    "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' "
    "UNION ALL SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'"
)
PG_SCHEMA = (
    "SELECT table_name || '.' || column_name FROM information_schema.columns "
    "WHERE table_schema = 'public' "
    "UNION ALL SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
    "AND indexname LIKE 'idx_%'"
)


def _sqlite_path(url: str) -> Path:
    return Path(url[len("sqlite://") :])


async def _pg_rows(sql: str, database: str) -> list[Any]:
    import asyncpg

    conn = await asyncpg.connect(f"{PG}/{database}")
    try:
        return [r[0] for r in await conn.fetch(sql)]
    finally:
        await conn.close()


def expected_schema(directory: Path, postgres: bool) -> set[str]:
    """The schema the current migrations create, on a scratch database of the same engine
    (index names differ between the engines)."""
    from server import db

    if postgres:
        name = "rb_bench_schema_reference"
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
        try:
            asyncio.run(db.migrate(f"{PG}/{name}"))
            return set(asyncio.run(_pg_rows(PG_SCHEMA, name)))
        finally:
            asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    path = directory / "schema-reference.sqlite3"
    for old in directory.glob("schema-reference.sqlite3*"):
        old.unlink()
    asyncio.run(db.migrate(f"sqlite:///{path}"))
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute(SQLITE_SCHEMA)}


def _state(url: str) -> tuple[int, int, set[str]]:
    """(relations, large relations, schema) of a register; (0, 0, empty) when there is none."""
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        if not path.exists():
            return 0, 0, set()
        with sqlite3.connect(path) as conn:
            schema = {r[0] for r in conn.execute(SQLITE_SCHEMA)}
            if "relation.id" not in schema:
                return 0, 0, schema
            return (conn.execute("SELECT COUNT(*) FROM relation").fetchone()[0],
                    conn.execute(LARGE).fetchone()[0], schema)  # fmt: skip
    name = url.rsplit("/", 1)[1]
    if not asyncio.run(_pg(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")):
        return 0, 0, set()
    schema = set(asyncio.run(_pg_rows(PG_SCHEMA, name)))
    if "relation.id" not in schema:
        return 0, 0, schema
    return (asyncio.run(_pg("SELECT COUNT(*) FROM relation", name)),
            asyncio.run(_pg(LARGE, name)), schema)  # fmt: skip


def _remove(url: str) -> None:
    """Throw a register away (a benchmark register only: these names are ours)."""
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        for old in path.parent.glob(f"{path.name}*"):
            old.unlink()
    else:
        name = url.rsplit("/", 1)[1]
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def registers(args: argparse.Namespace, log: list[dict[str, Any]]) -> dict[str, str]:
    """The four registers, each complete and made by the current migrations.

    A register that is missing, half written (fewer relations than asked for), or whose
    tables, columns or indexes differ from what the current migrations create (a migration
    edited since it was written) is written anew; one that only lacks the large relation
    gets it. Pending migrations are applied to the others, as `serve` would.
    """
    from server import db

    urls = {
        "sqlite-1k": f"sqlite:///{args.dir / 'r1k.sqlite3'}",
        "sqlite-100k": f"sqlite:///{args.dir / 'r100k.sqlite3'}",
        "pg-1k": f"{PG}/rb_bench_1k",
        "pg-100k": f"{PG}/rb_bench",
    }
    references = {engine: expected_schema(args.dir, engine) for engine in (False, True)}
    for name, url in urls.items():
        expected = references[name.startswith("pg")]
        count = 1000 if name.endswith("1k") else 100_000
        relations, large, schema = _state(url)
        if schema:  # a register with tables: first what `serve` would apply
            asyncio.run(db.migrate(url))
            schema = _state(url)[2]
        if schema and (schema != expected or relations < count):
            why = (f"schema differs from the migrations: {_difference(expected, schema)}"
                   if schema != expected else f"{relations} of {count} relations")  # fmt: skip
            print(f"\n{name}: {why}; writing it anew", flush=True)
            _remove(url)
            relations, large = 0, 0
        if not relations:
            step(f"generate {name}",
                 [*PY, "bench.generate", "--relations", str(count), "--db", url], log)  # fmt: skip
        if not large:
            step(f"large card {name}", [*PY, "bench.generate_large", "--db", url], log)
        if log and log[-1]["exit"]:  # no figure is worth taking on a broken register
            raise SystemExit(f"{log[-1]['step']} failed: see its output above")
    return urls


def _difference(expected: set[str], found: set[str]) -> str:
    missing, extra = sorted(expected - found), sorted(found - expected)
    parts = [f"missing {', '.join(missing[:5])}" if missing else "",
             f"not expected {', '.join(extra[:5])}" if extra else ""]  # fmt: skip
    return "; ".join(p for p in parts if p)


def machine() -> dict[str, Any]:
    info = Path("/proc/cpuinfo").read_text()
    model = next(line.split(":", 1)[1].strip() for line in info.splitlines()
                 if line.startswith("model name"))  # fmt: skip
    mem = next(line for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))  # fmt: skip
    return {"cpu": model, "cores": os.cpu_count(),
            "ram_gib": round(int(mem.split()[1]) / 1024 / 1024, 1),
            "kernel": platform.release()}  # fmt: skip


def versions() -> dict[str, str]:
    from bench.load import wrk
    from bench.postgraphile.run import install

    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": str(asyncio.run(_pg("SHOW server_version"))),
        "Strawberry": version("strawberry-graphql"),
        "graphql-core": version("graphql-core"),
        "Tortoise ORM": version("tortoise-orm"),
        "uvicorn": version("uvicorn"),
        "PostGraphile": install(),
        "Node": node,
        "wrk": wrk.version(),
        "tree": _tree(),
    }


def _tree() -> str:
    """The commit measured, and how many files of server/ differed from it (work in progress)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()

    changed = len(git("status", "--short", "server").splitlines())
    return f"{git('rev-parse', '--short', 'HEAD')} + {changed} changed file(s) in server/"


def plan(urls: dict[str, str], out: Path, args: argparse.Namespace) -> list[tuple[str, list]]:
    """(step, command) for each chosen step; the commands are the ones docs/ quotes."""
    only, sqlite, pg = set(args.only.split(",")), urls["sqlite-100k"], urls["pg-100k"]
    steps: list[tuple[str, list]] = []

    def json_to(name: str) -> list[str]:
        return ["--json", str(out / f"{name}.json")]

    cap = ["--cap", args.cap]
    if "card" in only:
        steps += [
            ("card sqlite", ["bench.card", "--db", sqlite, "--http", *cap,
                             *json_to("card-sqlite")]),
            ("card pg", ["bench.card", "--db", pg, "--http", *cap, *json_to("card-pg")]),
            ("card pg w4", ["bench.card", "--db", pg, "--http", "--workers", "4",
                            "--no-in-process", *cap, *json_to("card-pg-w4")]),
        ]  # fmt: skip
    if "growth" in only:
        steps += [
            (f"growth {e}", ["bench.growth", "--small-db", urls[f"{e}-1k"],
                             "--large-db", urls[f"{e}-100k"], *json_to(f"growth-{e}")])
            for e in ("sqlite", "pg")
        ]  # fmt: skip
    if "search" in only:
        steps += [
            (f"search {e}", ["bench.search", "--db", urls[f"{e}-100k"], *json_to(f"search-{e}")])
            for e in ("sqlite", "pg")
        ]
    if "load" in only:
        seconds = ["--seconds", args.seconds]
        steps += [
            ("load sqlite", ["bench.load.run", "--db", sqlite, *seconds, *json_to("load-sqlite")]),
            ("load pg w4", ["bench.load.run", "--db", pg, "--workers", "4", *seconds,
                            *json_to("load-pg-w4")]),
        ]  # fmt: skip
    if "side" in only:
        steps.append(("side by side", ["bench.postgraphile.run", "--db", pg, "--seconds",
                                       args.side_seconds, *json_to("side")]))  # fmt: skip
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/rb-bench"))
    parser.add_argument("--cap", default="120", help="longest first wave of a card run, s")
    parser.add_argument("--only", default=",".join(STEPS),
                        help="steps; `registers` alone: only write what is missing")  # fmt: skip
    parser.add_argument("--seconds", default="60", help="of each wrk load test")
    parser.add_argument("--side-seconds", default="30", help="of each side-by-side run")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - {*STEPS, "registers"}
    if unknown:  # before anything is written: a typo must not cost a run
        parser.error(f"--only: no step {', '.join(sorted(unknown))}; steps: {', '.join(STEPS)}")
    args.dir.mkdir(parents=True, exist_ok=True)
    if not CHOSEN_DATA_DIR:  # every step's process inherits it
        os.environ["RELATIEBEHEER_DATA_DIR"] = str(args.dir / "data")
    out, log = args.dir / "results", list[dict[str, Any]]()
    out.mkdir(exist_ok=True)
    found: dict[str, Any] = {"machine": machine(), "versions": versions(), "steps": log}
    try:
        urls = registers(args, log)
        for name, command in plan(urls, out, args):
            # A failing step must not leave an earlier run's figures to be reported as its own.
            Path(command[command.index("--json") + 1]).unlink(missing_ok=True)
            step(name, [*PY, *command], log)
    finally:
        (out / "run.json").write_text(json.dumps(found, indent=1))
        if not args.keep:
            for name in ("rb_bench", "rb_bench_1k"):
                asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    text = report.render(out)
    (args.dir / "report.md").write_text(text)
    print(f"\n{text}\nwritten to {args.dir / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
