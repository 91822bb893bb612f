"""Audited reads of sensitive data."""

from __future__ import annotations

from server.auth import secretbox
from server.auth.permissions import Actor
from server.models import AuditEntry
from server.services.unit import utcnow


async def bsn_read(actor: Actor, relation_id: str, bsn_encrypted: str) -> str:
    """Decrypt a BSN for `actor` and write the audit entry (who, when, which relation)."""
    await AuditEntry.create(
        at=utcnow(), actor_id=actor.id or None, action="READ_BSN", relation_id=relation_id
    )
    return secretbox.decrypt(bsn_encrypted)
