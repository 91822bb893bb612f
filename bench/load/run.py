"""The load test: mixed cockpit traffic from wrk against a real server over loopback.

    python -m bench.load.run --db URL [--workers 4] [--seconds 60] [--connections 64]

Reads card ids, edit targets and search terms from the register, starts `relatiebeheer
serve --workers N` on 127.0.0.1, signs in as the benchmark user (a real bearer token),
checks each operation once (a refused edit or a GraphQL error stops the run), then runs
wrk with bench/load/mixed.lua: 45% RelationSearch, 45% RelationCard, 10% edits. Zero
errors is the target: every non-200, every GraphQL error and every refused edit counts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx

from bench import DATA_DIR
from bench.load import wrk
from bench.load.data import PHONE, WEBSITE, mixed_values, operation, write_lua
from bench.load.server import ensure_user, serve
from server import db


async def values(url: str) -> dict[str, Any]:
    await db.init(url)
    try:
        await ensure_user()
        return await mixed_values()
    finally:
        await db.close()


def smoke(graphql: str, token: str, found: dict[str, Any]) -> None:
    """Each kind of request once: it must succeed before wrk may count anything."""
    checks = [
        (operation("RelationSearch"), {"search": found["terms"][0], "first": 25}),
        (operation("RelationCard"), {"id": found["ids"][0]}),
        (WEBSITE, {"id": found["edit_ids"][0], "input": {"website": "https://www.bench-1.nl"}}),
        (PHONE, {"id": found["contact_ids"][0], "input": {"phone": "+31205123456"}}),
    ]
    headers = {"Authorization": f"Bearer {token}"}
    for query, variables in checks:
        body = {"query": query, "variables": variables}
        response = httpx.post(graphql, json=body, headers=headers, timeout=60)
        text = response.text
        if response.status_code != 200 or '"errors"' in text or '"problems":[{' in text:
            raise RuntimeError(f"smoke check failed: {response.status_code} {text[:500]}")


def mixed(args: argparse.Namespace) -> dict[str, Any]:
    found = asyncio.run(values(args.db))
    args.data_dir.mkdir(parents=True, exist_ok=True)
    with serve(args.db, args.data_dir, args.workers) as server:
        token = server.login()
        smoke(server.graphql, token, found)
        data_file = write_lua(
            args.data_dir / "mixed-data.lua",
            card=operation("RelationCard"),
            search=operation("RelationSearch"),
            website=WEBSITE,
            phone=PHONE,
            token=token,
            **found,
        )
        idle = server.rss_mib()
        result = wrk.run(
            server.base, "mixed", data_file, connections=args.connections,
            seconds=args.seconds, threads=args.threads, rss=server.rss_mib,
        )  # fmt: skip
        result.update(rss_idle_mib=idle, workers=args.workers)
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="sqlite:///path or postgres://...")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    result = mixed(args)
    print(wrk.HEADER)
    print(wrk.row(f"mixed, --workers {args.workers}", result))
    print(f"sent: {result['sent']}; idle RSS {result['rss_idle_mib']:.0f} MiB, "
          f"peak {result['peak_rss_mib']:.0f} MiB")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
