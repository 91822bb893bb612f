"""Schema assembly: Query and Mutation merged from each domain, limits and extensions."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.tools import merge_types

from server.schema.extensions import MaskUnexpectedErrors, RequireSignIn
from server.settings import get_settings

# Each domain's root fields live in one module exposing `Query` and/or `Mutation`.
ROOT_MODULES = (
    "server.resolvers.staff",
    "server.resolvers.relations",
    "server.resolvers.graph_root",
    "server.resolvers.custom_fields_root",
    "server.resolvers.history_root",
    "server.resolvers.integration_root",
    "server.resolvers.calendar_root",
)


def _roots(kind: str) -> tuple[type, ...]:
    found = []
    for name in ROOT_MODULES:
        root = getattr(importlib.import_module(name), kind, None)
        if root is not None:
            found.append(root)
    return tuple(found)


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # Unexpected errors are logged (once, with the request id) by MaskUnexpectedErrors;
        # client errors are not logged: their messages may echo input such as a BSN.
        return None


def build_schema() -> strawberry.Schema:
    settings = get_settings()
    # The limiters' rule classes are made once: the validation cache keys on the rule list,
    # so rules made per request would make every validation a cache miss.
    limit_rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    # Factories: a fresh extension per request; the parse/validate caches are shared.
    extensions: list[Callable[[], SchemaExtension]] = [
        MaskUnexpectedErrors,
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(ParserCache, maxsize=512),
        partial(AddValidationRules, limit_rules),
        partial(ValidationCache, maxsize=512),
        RequireSignIn,
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    # Without introspection, "Did you mean ...?" hints would leak the schema field by field.
    suggestions = importlib.import_module("graphql.pyutils.did_you_mean")
    setattr(suggestions, "MAX_LENGTH", 5 if settings.introspection else 0)  # noqa: B010
    return Schema(
        query=merge_types("Query", _roots("Query")),
        mutation=merge_types("Mutation", _roots("Mutation")),
        extensions=extensions,
    )


@lru_cache(maxsize=1)
def get_schema() -> strawberry.Schema:
    return build_schema()
