"""Side by side: our RelationCard and PostGraphile 4's card on the same PostgreSQL tables.

    python -m bench.postgraphile.run --db postgres://.../rb_bench [--workers 1,4]

PostGraphile (npm `postgraphile@4`) is installed into /tmp/rb-postgraphile on first use,
never into the project. For each worker count both servers run in turn against the same
database and get the same wrk load (bench/load/card.lua, same connections and duration):
the small card for ids drawn from the same 500 ordinary organisations, and the large card.
Ours gets `relatiebeheer serve --workers N`; PostGraphile `--cluster-workers N` (N > 1).
Before each wrk run every card of the run is asked for once (warm-up, not measured); a card
that fails or comes back empty stops that run, and wrk counts every non-200 answer, GraphQL
error and empty card as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench import DATA_DIR
from bench.generate_large import large_relation_id
from bench.load import wrk
from bench.load.data import operation, small_ids, write_lua
from bench.load.server import children, ensure_user, free_port, rss_kib, serve
from server import db

HERE = Path(__file__).resolve().parent
PREFIX = Path("/tmp/rb-postgraphile")
BIN = PREFIX / "node_modules" / ".bin" / "postgraphile"


def install() -> str:
    """PostGraphile 4 in the temporary folder; returns its version."""
    if not BIN.exists():
        PREFIX.mkdir(parents=True, exist_ok=True)
        (PREFIX / "package.json").write_text('{"private": true}\n')
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "postgraphile@4"],
            cwd=PREFIX, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        if done.returncode or not BIN.exists():
            raise RuntimeError(f"npm install postgraphile@4 failed: {done.stderr[-2000:]}")
    done = subprocess.run(["node", str(BIN), "--version"], capture_output=True, text=True)
    return done.stdout.strip()


@contextmanager
def postgraphile(url: str, workers: int, log_dir: Path) -> Iterator[tuple[str, Any]]:
    """PostGraphile on a free port; yields (base URL, rss function)."""
    port = free_port()
    command = ["node", str(BIN), "-c", url, "--schema", "public", "--host", "127.0.0.1",
               "--port", str(port), "--simple-collections", "only", "--disable-query-log",
               "--disable-graphiql", "--body-size-limit", "1MB"]  # fmt: skip
    if workers > 1:
        command += ["--cluster-workers", str(workers)]
    log = log_dir / f"postgraphile-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def rss() -> float:
        return sum(rss_kib(p) for p in [process.pid, *children(process.pid)]) / 1024

    try:
        _wait(base, process, log)
        yield base, rss
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"postgraphile exited: {log.read_text()[-2000:]}")
        try:
            answer = httpx.post(f"{base}/graphql", json={"query": "{__typename}"}, timeout=2)
            if answer.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"postgraphile did not start: {log.read_text()[-2000:]}")


def check(graphql: str, query: str, relation_id: str, token: str | None) -> int:
    """One card, which must answer without errors; returns its size in bytes."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": {"id": relation_id}}
    answer = httpx.post(graphql, json=body, headers=headers, timeout=600)
    if answer.status_code != 200 or '"errors"' in answer.text:
        raise RuntimeError(f"card failed: {answer.status_code} {answer.text[:500]}")
    if not answer.json()["data"]["relation"]:
        raise RuntimeError(f"card {relation_id} came back empty")
    return len(answer.content)


def warm(graphql: str, query: str, ids: list[str], token: str | None) -> None:
    """Every card of the run once, before wrk: both servers start measured from the same,
    warm state (PostgreSQL's buffers; our card cache, when the server has one), so the
    figures do not depend on how much of a short run went into warming up."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(headers=headers, timeout=600) as http:
        for relation_id in ids:
            http.post(graphql, json={"query": query, "variables": {"id": relation_id}})


async def ids_of(url: str) -> dict[str, list[str]]:
    await db.init(url)
    try:
        await ensure_user()
        large = await large_relation_id()
        assert large, "run python -m bench.generate_large first"
        return {"small": await small_ids(), "large": [large]}
    finally:
        await db.close()


def load(base: str, name: str, query: str, ids: list[str], token: str | None,
         args: argparse.Namespace, rss: Any) -> dict[str, Any]:  # fmt: skip
    try:
        size = check(f"{base}/graphql", query, ids[0], token)
    except RuntimeError as error:  # reported, and the other runs go on
        return {"failed": str(error)[:300], "requests": 0, "rps": 0.0, "errors": 1}
    warm(f"{base}/graphql", query, ids, token)
    data = write_lua(args.data_dir / f"card-{name}.lua", card=query, ids=ids, token=token)
    result = wrk.run(base, "card", data, connections=args.connections, seconds=args.seconds,
                     threads=args.threads, timeout=f"{args.seconds}s", rss=rss)  # fmt: skip
    result["bytes"] = size
    return result


def side_by_side(args: argparse.Namespace) -> dict[str, Any]:
    found: dict[str, Any] = {"postgraphile": install(), "runs": []}
    ids = asyncio.run(ids_of(args.db))
    ours, theirs = operation("RelationCard"), (HERE / "card.graphql").read_text()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    for workers in args.workers:
        with serve(args.db, args.data_dir, workers) as server:
            token = server.login()
            for card, card_ids in ids.items():
                result = load(server.base, f"ours-{card}", ours, card_ids, token, args,
                              server.rss_mib)  # fmt: skip
                found["runs"].append({"server": "relatiebeheer", "workers": workers,
                                      "card": card, **result})  # fmt: skip
        with postgraphile(args.db, workers, args.data_dir) as (base, rss):
            for card, card_ids in ids.items():
                result = load(base, f"pg-{card}", theirs, card_ids, None, args, rss)
                found["runs"].append({"server": "PostGraphile", "workers": workers,
                                      "card": card, **result})  # fmt: skip
    return found


def report(found: dict[str, Any]) -> str:
    lines = [wrk.HEADER]
    for r in found["runs"]:
        lines.append(wrk.row(f"{r['server']}, {r['card']} card, {r['workers']} worker(s)", r))
    for workers in sorted({r["workers"] for r in found["runs"]}):
        for card in ("small", "large"):
            pair = {r["server"]: r for r in found["runs"]
                    if r["workers"] == workers and r["card"] == card}  # fmt: skip
            if len(pair) != 2:
                continue
            failed = [name for name, r in pair.items() if r.get("failed") or not r["rps"]]
            if failed:
                ratio = f"none ({' and '.join(failed)} failed)"
            else:
                ratio = f"{pair['relatiebeheer']['rps'] / pair['PostGraphile']['rps']:.2f}"
            lines.append(f"\n{card} card, {workers} worker(s): ours / PostGraphile "
                         f"throughput = {ratio}")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="postgres://... (a generated register)")
    parser.add_argument("--workers", type=lambda s: [int(n) for n in s.split(",")],
                        default=[1, 4])  # fmt: skip
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    found = side_by_side(args)
    print(report(found))
    if args.json:
        args.json.write_text(json.dumps(found, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
