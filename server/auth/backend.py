"""From an `Authorization: Bearer` header to the Actor of a request."""

from __future__ import annotations

from server.auth.permissions import Actor, Role
from server.auth.tokens import TokenError, verify_access_token
from server.models import Employee


async def actor_from_header(header: str | None) -> Actor | None:
    """The signed-in employee, or None for a missing, invalid or revoked token."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        claims = verify_access_token(token.strip())
    except TokenError:
        return None
    # A deactivated employee's tokens stop working at once.
    rows = await Employee.filter(id=claims.sub, active=True).values_list("role", "name")
    if not rows:
        return None
    role, name = rows[0]
    return Actor(id=claims.sub, role=Role(role), name=name)
