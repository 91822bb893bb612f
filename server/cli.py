"""The `relatiebeheer` command: serve, migrate, create-admin, seed-demo, export-schema, ..."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from server import db
from server.errors import DomainError, DomainErrors
from server.settings import get_settings

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Command]] = {}


def command(name: str, configure: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    def register(func: Command) -> Command:
        COMMANDS[name] = (configure, func)
        return func

    return register


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


async def with_db(work: Callable[[], Awaitable[Any]]) -> Any:
    await db.migrate()
    await db.init()
    try:
        return await work()
    finally:
        await db.close()


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)


@command("serve", _serve_args)
def serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    asyncio.run(db.migrate())
    workers = max(1, args.workers)
    if settings.is_sqlite and workers > 1:
        # SQLite allows one writer: several processes would fail with "database is locked".
        print("note: SQLite serves with one worker; use PostgreSQL for --workers > 1")
        workers = 1
    uvicorn.run(
        "server.app:app",
        host=args.host,
        port=args.port,
        workers=workers,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
    )
    return 0


@command("migrate")
def migrate(_: argparse.Namespace) -> int:
    asyncio.run(db.migrate())
    print("database is up to date")
    return 0


def _admin_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--name", default="Beheerder")


@command("create-admin", _admin_args)
def create_admin(args: argparse.Namespace) -> int:
    from server.services import staff

    data = {"name": args.name, "email": args.email, "password": args.password, "role": "ADMIN"}
    try:
        employee = asyncio.run(with_db(lambda: staff.create_employee(None, data)))
    except (DomainError, DomainErrors) as error:
        errors = error.errors if isinstance(error, DomainErrors) else [error]
        return fail("; ".join(f"{e.field[-1] if e.field else ''}: {e.message}" for e in errors))
    print(f"created admin {employee.email}")
    return 0


@command("seed-demo")
def seed_demo(_: argparse.Namespace) -> int:
    from server.services.demo import seed

    summary = asyncio.run(with_db(seed))
    print(summary)
    return 0


def _schema_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", default="schema.graphql")


@command("export-schema", _schema_args)
def export_schema(args: argparse.Namespace) -> int:
    from server.schema import build_schema

    sdl = build_schema().as_str() + "\n"
    if args.path == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.path).write_text(sdl, encoding="utf-8")
        print(f"schema written to {args.path}")
    return 0


@command("rotate-keys")
def rotate_keys(_: argparse.Namespace) -> int:
    from server.auth.keys import get_keystore

    store = get_keystore()
    key = store.rotate()
    removed = store.prune()
    print(f"new signing key {key.kid}; pruned {len(removed)} expired key(s)")
    return 0


def _snapshot_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["verify", "export"])
    p.add_argument("id", nargs="?", help="the snapshot to export")
    p.add_argument("--out", default=".", help="directory for <id>.json and <id>.html")


@command("snapshot", _snapshot_args)
def snapshot(args: argparse.Namespace) -> int:
    """verify: recompute the snapshot chain (exit 1 when broken); export: JSON + HTML."""
    from server.services import snapshot_export, snapshots

    if args.action == "verify":
        result = asyncio.run(with_db(snapshots.verify_chain))
        if not result.ok:
            return fail(
                f"snapshot chain broken at snapshot {result.first_broken_id} "
                f"({result.checked} checked)"
            )
        print(f"snapshot chain ok: {result.checked} verified, head {result.head_hash or '-'}")
        return 0
    if not args.id:
        return fail("snapshot export needs the snapshot ID")
    try:
        paths = asyncio.run(with_db(lambda: snapshot_export.export(args.id, Path(args.out))))
    except DomainError as error:
        return fail(error.message)
    for path in paths:
        print(f"written {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relatiebeheer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (configure, _) in COMMANDS.items():
        configure(sub.add_parser(name))
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=get_settings().log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    args = build_parser().parse_args(argv)
    _, func = COMMANDS[args.command]
    return func(args)


if __name__ == "__main__":
    sys.exit(main())
