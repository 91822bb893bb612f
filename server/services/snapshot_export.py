"""A snapshot for the audit file: `<id>.json` (data and hashes) and `<id>.html` (readable).

Neither holds a clear BSN: the card carries only bsnMasked, and the encrypted BSNs kept
beside a snapshot stay in the database (domain rule: no BSN in default exports).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from server.errors import Code, DomainError
from server.models import Employee
from server.services import snapshots
from server.services.snapshot_html import render_html

HASH_RULE = (
    "content_hash = SHA-256(UTF-8 bytes of the canonical card JSON (sorted keys, separators "
    "',' and ':', no ASCII escaping) followed by previous_hash as lowercase hex; nothing for "
    "the first snapshot)"
)


async def export_document(snapshot_id: str) -> dict[str, Any]:
    """Everything the audit file needs about one snapshot, as JSON-ready data."""
    row = await snapshots.snapshot_row(snapshot_id)
    if row is None:
        raise DomainError(Code.NOT_FOUND, "No snapshot with this id.", ["id"])
    taken_by = None
    if row["taken_by_id"] is not None:
        found = await Employee.filter(id=row["taken_by_id"]).values("id", "name", "email")
        taken_by = {k: str(v) for k, v in found[0].items()} if found else None
    return {
        "id": str(row["id"]),
        "position": row["position"],
        "relation_id": str(row["relation_id"]),
        "reason": row["reason"],
        "taken_at": row["taken_at"].isoformat(),
        "taken_by": taken_by,
        "card": json.loads(row["card"]),
        "content_hash": row["content_hash"],
        "previous_hash": row["previous_hash"],
        "hash_matches_card": snapshots.chain_hash(row["card"], row["previous_hash"])
        == row["content_hash"],
        "hash_rule": HASH_RULE,
    }


async def export(snapshot_id: str, out_dir: Path) -> list[Path]:
    """Write `<id>.json` and `<id>.html` into `out_dir`; returns both paths."""
    document = await export_document(snapshot_id)
    return await asyncio.to_thread(write_files, document, out_dir)


def write_files(document: dict[str, Any], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / f"{document['id']}.json"
    html_path = out_dir / f"{document['id']}.html"
    json_path.write_text(
        json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    html_path.write_text(render_html(document), encoding="utf-8")
    return [json_path, html_path]
