"""Webhook propagation: time from COMMIT to arrival at 10 linked systems.

    python -m bench.webhooks [--systems 10] [--commits 300] [--rate 20] [--postgres]

A fresh database (SQLite file, or a scratch PostgreSQL database on 127.0.0.1:5432 with
--postgres) gets relations and `--systems` linked systems. One receiver process on
127.0.0.1 serves a path per system, verifies every signature with `standardwebhooks`
and stamps arrival times. This process commits relation changes at `--rate` per second
(0: as fast as it can) with the webhook dispatcher running in its event loop, as in the
app. Latency = arrival time - the moment the commit returned, per (event, system).
It also checks that each system got every event exactly once and in sequence order.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
import uuid
from multiprocessing.connection import Connection
from typing import Any

from tests.integration.helpers import rename_relation
from tests.live import free_port

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def serve(port: int, secrets: dict[str, str], expected: Any, stop: Any, out: Connection) -> None:
    """The receiver process (uvicorn): POST /s<n> -> verify, stamp, 200; results on `out`."""
    import uvicorn
    from standardwebhooks import Webhook

    hooks = {path: Webhook(secret) for path, secret in secrets.items()}
    arrivals: list[tuple[str, str, float]] = []
    failures = 0

    async def app(scope: dict, receive: Any, send: Any) -> None:
        nonlocal failures
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        at = time.time()
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        try:
            hooks[scope["path"]].verify(body, headers, json_parse=False)
            arrivals.append((scope["path"], headers["webhook-id"], at))
            with expected.get_lock():
                expected.value -= 1
            status = 200
        except Exception:
            failures += 1
            status = 400
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )

    async def main() -> None:
        async def watch() -> None:
            await asyncio.to_thread(stop.wait)
            server.should_exit = True

        watcher = asyncio.create_task(watch())
        await server.serve()
        await watcher

    asyncio.run(main())
    out.send((arrivals, failures))


async def _setup(systems: int, port: int) -> tuple[list[str], dict[str, str]]:
    from server.auth.permissions import SYSTEM_ACTOR
    from server.models import Relation
    from server.services.linked_systems import register_linked_system
    from server.services.unit import utcnow

    now = utcnow()
    relations = []
    for n in range(20):
        relation = await Relation.create(
            id=uuid.uuid4(),
            number=f"B{n:06d}",
            party_type="ORGANISATION",
            display_name=f"Klant {n} BV",
            sort_name=f"klant {n} bv",
            created_at=now,
            updated_at=now,
        )
        relations.append(str(relation.id))
    secrets = {}
    for n in range(systems):
        result = await register_linked_system(
            SYSTEM_ACTOR,
            {
                "name": f"Systeem {n}",
                "kind": "OTHER",
                "baseUrl": f"https://systeem{n}.example",
                "ssoAudience": f"systeem{n}",
                "webhookUrl": f"http://127.0.0.1:{port}/s{n}",
            },
        )
        secrets[f"/s{n}"] = result.generated_secret or ""
    return relations, secrets


async def _commit_all(relations: list[str], commits: int, rate: float) -> dict[str, float]:
    committed: dict[str, float] = {}
    started = time.monotonic()
    for n in range(commits):
        if rate > 0:
            await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
        event_id = await rename_relation(None, relations[n % len(relations)], f"Klant {n} BV")
        committed[event_id] = time.time()
    return committed


def _report(
    committed: dict[str, float], arrivals: list[tuple[str, str, float]], order: list[str]
) -> dict[str, Any]:
    latencies = sorted(at - committed[event_id] for _, event_id, at in arrivals)
    per_system: dict[str, list[str]] = {}
    for path, event_id, _ in sorted(arrivals, key=lambda a: a[2]):
        per_system.setdefault(path, []).append(event_id)
    in_order = all(ids == order for ids in per_system.values())

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "deliveries": len(latencies),
        "p50_ms": round(pct(0.50), 1),
        "p90_ms": round(pct(0.90), 1),
        "p99_ms": round(pct(0.99), 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
        "exactly_once_in_order": in_order,
    }


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    from tortoise import Tortoise

    from server import db
    from server.integrations import webhooks
    from server.models import ChangeEvent

    await db.migrate(url)
    await db.init(url)
    port = free_port()
    relations, secrets = await _setup(args.systems, port)
    ctx = mp.get_context("spawn")
    expected = ctx.Value("i", args.systems * args.commits)
    stop, (receive, send) = ctx.Event(), ctx.Pipe(duplex=False)
    receiver = ctx.Process(target=serve, args=(port, secrets, expected, stop, send), daemon=True)
    receiver.start()
    await asyncio.sleep(1.0)  # the receiver process starts listening
    stop_dispatcher = await webhooks.start()
    cpu, wall = time.process_time(), time.monotonic()
    try:
        committed = await _commit_all(relations, args.commits, args.rate)
        for _ in range(2400):  # at most 120 s for the last deliveries
            if expected.value <= 0:
                break
            await asyncio.sleep(0.05)
    finally:
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
        await stop_dispatcher()
        stop.set()
    arrivals, failures = receive.recv()
    receiver.join(5)
    order = [
        str(i) for i in await ChangeEvent.all().order_by("sequence").values_list("id", flat=True)
    ]
    await Tortoise.close_connections()
    result = _report(committed, arrivals, order)
    result.update(engine="postgres" if args.postgres else "sqlite", failures=failures)
    result.update(cpu_share=round(cpu / wall, 2), seconds=round(wall, 1))
    result.update(systems=args.systems, commits=args.commits, rate=args.rate)
    return result


async def _admin_sql(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def main(args: argparse.Namespace) -> dict[str, Any]:
    if not args.postgres:
        return await run(args, f"sqlite:///{os.environ['RELATIEBEHEER_DATA_DIR']}/bench.sqlite3")
    name = f"rb_bench_{uuid.uuid4().hex[:10]}"
    await _admin_sql(f'CREATE DATABASE "{name}"')
    try:
        return await run(args, f"{PG_SERVER}/{name}")
    finally:
        await _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10)
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--rate", type=float, default=20.0, help="commits per second; 0 = max")
    parser.add_argument("--postgres", action="store_true")
    return parser.parse_args(argv)


if __name__ == "__main__":
    options = parse(sys.argv[1:])
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["RELATIEBEHEER_DATA_DIR"] = data_dir
        os.environ["RELATIEBEHEER_BACKGROUND_WORKERS"] = "0"
        print(asyncio.run(main(options)))
