"""What every resolver needs: the actor, input conversion, and the mutation envelope."""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import strawberry
from strawberry.types.base import has_object_definition
from strawberry.types.nodes import SelectedField
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


def selects(info: Info, name: str) -> bool:
    """Whether the current field's selection asks for `name` (through fragments too)."""
    stack: list[Any] = [s for field in info.selected_fields for s in field.selections]
    while stack:
        selection = stack.pop()
        if isinstance(selection, SelectedField):
            if selection.name == name:
                return True
        else:  # a fragment spread or inline fragment
            stack.extend(selection.selections)
    return False


async def prefetch(
    info: Info,
    nodes: Sequence[Any],
    edges: Mapping[str, Callable[[list[str]], Awaitable[Sequence[Any]]]],
) -> None:
    """Load the asked-for edges of all `nodes` at once and hand each node its part.

    A field resolver per node would cost an awaitable per node and field (thousands on a
    large card); here each edge costs its batch loads, and the node's field returns its
    `loaded` value without waiting. Edges that were not asked for are not loaded.
    """
    wanted = [name for name in edges if selects(info, name)]
    if not nodes or not wanted:
        return
    ids = [str(node.id) for node in nodes]
    results = await asyncio.gather(*(edges[name](ids) for name in wanted))
    for name, per_node in zip(wanted, results, strict=True):
        for node, value in zip(nodes, per_node, strict=True):
            node.loaded[name] = value
