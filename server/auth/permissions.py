"""Who may do what: the one table of role permissions, checked by `require`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from server.errors import Code, DomainError


class Role(StrEnum):
    ADMIN = "ADMIN"
    PARTNER = "PARTNER"
    MANAGER = "MANAGER"
    EMPLOYEE = "EMPLOYEE"


class Permission(StrEnum):
    READ_RELATIONS = "read_relations"
    WRITE_RELATIONS = "write_relations"
    READ_BSN = "read_bsn"
    MANAGE_STAFF = "manage_staff"
    ASSIGN_STAFF = "assign_staff"
    MANAGE_CUSTOM_FIELDS = "manage_custom_fields"
    MANAGE_LINKED_SYSTEMS = "manage_linked_systems"
    READ_LINKED_SYSTEMS = "read_linked_systems"
    READ_CHANGES = "read_changes"
    DRILL_DOWN = "drill_down"
    SEE_ALL_CALENDARS = "see_all_calendars"
    WRITE_APPOINTMENTS = "write_appointments"
    MANAGE_ANY_CALENDAR = "manage_any_calendar"
    SNAPSHOT = "snapshot"
    VERIFY_SNAPSHOTS = "verify_snapshots"


_EVERYONE = {
    Permission.READ_RELATIONS,
    Permission.WRITE_RELATIONS,
    Permission.ASSIGN_STAFF,
    Permission.READ_LINKED_SYSTEMS,
    Permission.DRILL_DOWN,
    Permission.WRITE_APPOINTMENTS,
    Permission.SNAPSHOT,
}
_SENIOR = _EVERYONE | {
    Permission.READ_BSN,
    Permission.SEE_ALL_CALENDARS,
    Permission.VERIFY_SNAPSHOTS,
    Permission.READ_CHANGES,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.EMPLOYEE: frozenset(_EVERYONE),
    Role.MANAGER: frozenset(_SENIOR),
    Role.PARTNER: frozenset(_SENIOR),
    Role.ADMIN: frozenset(
        _SENIOR
        | {
            Permission.MANAGE_STAFF,
            Permission.MANAGE_CUSTOM_FIELDS,
            Permission.MANAGE_LINKED_SYSTEMS,
            Permission.MANAGE_ANY_CALENDAR,
        }
    ),
}


@dataclass(frozen=True)
class Actor:
    """The signed-in employee on whose behalf a request runs."""

    id: str
    role: Role
    name: str | None = None

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


SYSTEM_ACTOR = Actor(id="00000000-0000-0000-0000-000000000000", role=Role.ADMIN, name="system")


def require(actor: Actor | None, permission: Permission) -> Actor:
    """The actor, if it holds `permission`; otherwise a FORBIDDEN/UNAUTHENTICATED error."""
    if actor is None:
        raise DomainError(Code.UNAUTHENTICATED, "Sign in first.")
    if not actor.can(permission):
        raise DomainError(Code.FORBIDDEN, "Your role does not allow this.")
    return actor
