"""Schema extensions: the sign-in gate for every operation, and error masking."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from server.resolvers.base import ApiError

log = logging.getLogger("relatiebeheer.api")

PUBLIC_FIELDS = frozenset({"login", "__typename"})
INTROSPECTION_FIELDS = frozenset({"__schema", "__type", "__typename"})


def _root_fields(document: object, operation_name: str | None) -> list[str]:
    names: list[str] = []
    for definition in getattr(document, "definitions", ()):
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name and definition.name and definition.name.value != operation_name:
            continue
        for selection in definition.selection_set.selections:
            if isinstance(selection, FieldNode):
                names.append(selection.name.value)
            else:
                names.append("#fragment")
    return names


class RequireSignIn(SchemaExtension):
    """Every operation except `login` (and introspection) needs a valid access token.

    Checked at validation time, after the parse but instead of the validation result, so an
    anonymous client learns nothing about the schema from validation messages either.
    """

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context.context
        if getattr(context, "actor", None) is None:
            fields = _root_fields(
                self.execution_context.graphql_document, self.execution_context.operation_name
            )
            allowed = PUBLIC_FIELDS | INTROSPECTION_FIELDS
            if not fields or any(name not in allowed for name in fields):
                if getattr(context, "response", None) is not None:
                    context.response.status_code = 401
                self.execution_context.pre_execution_errors = [
                    GraphQLError(
                        "Authentication required: send a valid access token.",
                        extensions={"code": "UNAUTHENTICATED"},
                    )
                ]
        yield


class MaskUnexpectedErrors(SchemaExtension):
    """Unexpected errors reach the client as 'Internal error' with a request id, and us in the log.

    GraphQL syntax/validation errors and our own `ApiError`s pass through unchanged.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is None or not errors:
            return
        request_id = getattr(self.execution_context.context, "request_id", "-")
        result.errors = [self._mask(error, request_id) for error in errors]

    def _mask(self, error: GraphQLError, request_id: str) -> GraphQLError:
        original = error.original_error
        if original is None:
            return error
        if isinstance(original, ApiError):
            return GraphQLError(
                str(original), nodes=error.nodes, path=error.path, extensions=original.extensions
            )
        if isinstance(original, GraphQLError):
            return error
        log.error(
            "unexpected error in request %s at %s",
            request_id,
            ".".join(str(p) for p in error.path or ()),
            exc_info=(type(original), original, original.__traceback__),
        )
        return GraphQLError(
            f"Internal error (request id {request_id}).",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )
