"""Schema assembly: Query and Mutation merged from each domain, limits and extensions."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.tools import merge_types

from server.resolvers.relations import RelationQuery
from server.resolvers.staff import StaffMutation, StaffQuery
from server.schema.extensions import MaskUnexpectedErrors, RequireSignIn
from server.settings import get_settings

QUERIES: tuple[type, ...] = (StaffQuery, RelationQuery)
MUTATIONS: tuple[type, ...] = (StaffMutation,)


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # Unexpected errors are logged (once, with the request id) by MaskUnexpectedErrors;
        # client errors are not logged: their messages may echo input such as a BSN.
        return None


def build_schema() -> strawberry.Schema:
    settings = get_settings()
    # Factories: a fresh extension per request; the parse/validate caches are shared.
    extensions: list[Callable[[], SchemaExtension]] = [
        MaskUnexpectedErrors,
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(ParserCache, maxsize=512),
        partial(QueryDepthLimiter, max_depth=settings.max_query_depth),
        partial(MaxAliasesLimiter, max_alias_count=settings.max_aliases),
        partial(ValidationCache, maxsize=512),
        RequireSignIn,
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return Schema(
        query=merge_types("Query", QUERIES),
        mutation=merge_types("Mutation", MUTATIONS),
        extensions=extensions,
    )


@lru_cache(maxsize=1)
def get_schema() -> strawberry.Schema:
    return build_schema()
