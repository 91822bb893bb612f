"""What every resolver needs: the actor, input conversion, and the mutation envelope."""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from strawberry.types.base import has_object_definition
from strawberry.types.unset import UnsetType

from server.auth.permissions import Actor, Permission, require
from server.context import Context
from server.errors import Code, DomainError, DomainErrors
from server.schema.base import UserError

log = logging.getLogger("relatiebeheer.api")
Info = strawberry.Info[Context, None]
P = TypeVar("P")
AUTH_CODES = frozenset({Code.UNAUTHENTICATED, Code.FORBIDDEN})


class ApiError(Exception):
    """A refusal outside a payload (queries): becomes a GraphQL error with `code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.extensions = {"code": code}
        if code not in AUTH_CODES:
            # The conventional marker (Apollo) that the client's input, not the server, failed.
            self.extensions["classification"] = "BAD_USER_INPUT"


def actor_of(info: Info, permission: Permission | None = Permission.READ_RELATIONS) -> Actor:
    """The signed-in actor holding `permission`; raises ApiError for queries otherwise."""
    try:
        actor = require(info.context.actor, permission or Permission.READ_RELATIONS)
    except DomainError as error:
        raise ApiError(error.code, error.message) from None
    return actor


def to_dict(value: Any) -> Any:
    """Strawberry input -> plain data with GraphQL (camelCase) keys; omitted fields left out."""
    if isinstance(value, list):
        return [to_dict(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if has_object_definition(value):
        definition = value.__strawberry_definition__
        result = {}
        for f in definition.fields:
            raw = getattr(value, f.python_name)
            if isinstance(raw, UnsetType):
                continue
            result[f.graphql_name or _camel(f.python_name)] = to_dict(raw)
        return result
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def errors_of(exc: DomainError | DomainErrors, prefix: tuple[str, ...] = ()) -> list[UserError]:
    errors = exc.errors if isinstance(exc, DomainErrors) else [exc]
    return [
        UserError(
            field=[*prefix, *e.field] if e.field else list(prefix), code=e.code, message=e.message
        )
        for e in errors
    ]


async def mutate(
    info: Info,
    payload: Callable[..., P],
    permission: Permission,
    action: Callable[[Actor], Awaitable[dict[str, Any]]],
    *,
    prefix: tuple[str, ...] = (),
) -> P:
    """Run a mutation: permission check, the service call, errors into the payload.

    `action` returns the payload's fields (e.g. {"relation": RelationType}). A DomainError
    raised anywhere inside it (the transaction is already rolled back) becomes `errors`.
    """
    try:
        actor = require(info.context.actor, permission)
    except DomainError as error:
        if error.code == Code.UNAUTHENTICATED:
            raise ApiError(error.code, error.message) from None
        return payload(errors=errors_of(error))
    try:
        fields = await action(actor)
    except (DomainError, DomainErrors) as error:
        return payload(errors=errors_of(error, prefix))
    return payload(errors=[], **fields)


def field_path(*parts: str | int) -> tuple[str, ...]:
    """A UserError path as the client sees it, e.g. field_path("input", "addresses", 0)."""
    return tuple(str(p) for p in parts)
