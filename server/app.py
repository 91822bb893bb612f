"""The ASGI application: /graphql, /.well-known/*, /healthz, the cockpit and its lifespan."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLSchema
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult

from server import db, heap
from server.auth.backend import actor_from_header
from server.auth.keys import get_keystore
from server.card_cache import RawJSON, encode, get_cache
from server.context import Context
from server.middleware import BodySizeLimit, SecurityHeaders
from server.schema import get_schema
from server.services import card_stamps
from server.settings import get_settings
from server.workers import start_background_work

log = logging.getLogger("relatiebeheer")
FRONTEND = Path(__file__).resolve().parent.parent / "frontend-static"


class GraphQLApp(GraphQL[Context, None]):
    @property
    def graphql_schema(self) -> GraphQLSchema:
        return self.schema._schema  # type: ignore[attr-defined]

    async def get_context(self, request: Request, response: Any) -> Context:  # type: ignore[override]
        actor = await actor_from_header(request.headers.get("authorization"))
        return Context(request=request, actor=actor, response=response)

    async def execute_single(self, **kwargs: Any) -> ExecutionResult:  # type: ignore[override]
        """A `relation(id:)` query through the card cache (server/card_cache.py)."""
        cache = get_cache()
        plan = cache.plan(self.graphql_schema, kwargs["request_data"], kwargs["context"])
        if plan is None:
            return await super().execute_single(**kwargs)
        body = await cache.lookup(plan)
        if body is not None:
            return Answered(body)
        async with cache.building(plan):
            # Built meanwhile by the request this one waited for?
            body = await cache.lookup(plan)
            if body is not None:
                return Answered(body)
            # The stamps are read before the card is built: a write after this renews one.
            stamps = await card_stamps.read(await cache.dependencies(plan))
            with card_stamps.collecting() as seen:
                result = await super().execute_single(**kwargs)
            data = result.data
            if result.errors or not data or data.get(next(iter(data))) is None:
                return result
            body = encode(process_result(result))
            cache.store(plan, body, stamps, seen)
            return Answered(body)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if isinstance(result, Answered):
            return RawJSON(result.body)  # type: ignore[return-value]
        return await super().process_result(request, result)

    def decode_json(self, data: str | bytes) -> object:
        try:
            return super().decode_json(data)
        except RecursionError:  # nested deeper than any GraphQL request: not a request
            raise json.JSONDecodeError("nested too deeply", "", 0) from None

    def encode_json(self, data: object) -> str | bytes:
        if isinstance(data, RawJSON):
            return data.body
        if isinstance(data, list) and any(isinstance(item, RawJSON) for item in data):
            return b"[" + b",".join(self._bytes(item) for item in data) + b"]"
        return encode(data)

    def _bytes(self, data: object) -> bytes:
        encoded = self.encode_json(data)
        return encoded if isinstance(encoded, bytes) else encoded.encode()


class Answered(ExecutionResult):
    """A card answered whole, already encoded."""

    def __init__(self, body: bytes) -> None:
        super().__init__(data=None, errors=None)
        self.body = body


async def jwks(_: Request) -> Response:
    return JSONResponse(get_keystore().public_jwks(), headers={"Cache-Control": "max-age=300"})


async def openid_configuration(_: Request) -> Response:
    issuer = get_settings().issuer.rstrip("/")
    return JSONResponse(
        {
            "issuer": get_settings().issuer,
            "jwks_uri": f"{issuer}/.well-known/jwks.json",
            "id_token_signing_alg_values_supported": ["ES256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "subject_types_supported": ["public"],
            "response_types_supported": ["token"],
            "grant_types_supported": ["password"],
            "graphql_endpoint": f"{issuer}/graphql",
        }
    )


async def healthz(_: Request) -> Response:
    if await db.ping():
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "database unreachable"}, status_code=503)


async def cockpit(_: Request) -> Response:
    return FileResponse(FRONTEND / "index.html", headers={"Cache-Control": "no-cache"})


def create_app(
    *, manage_database: bool = True, schema: strawberry.Schema | None = None
) -> Starlette:
    """The app. `manage_database=False` when the caller (a test) has initialised Tortoise."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await db.init()
        get_keystore().active()
        stop = await start_background_work() if get_settings().background_workers else None
        if manage_database:  # a server process (tests make many apps in one process)
            heap.settle()
        try:
            yield
        finally:
            if stop is not None:
                await stop()
            if manage_database:
                await db.close()

    graphql = GraphQLApp(
        schema or get_schema(), graphql_ide="graphiql", allow_queries_via_get=False
    )
    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/.well-known/jwks.json", jwks),
        Route("/.well-known/openid-configuration", openid_configuration),
        Route("/healthz", healthz),
        Route("/", cockpit),
        Route("/relations/{rest:path}", cockpit),
        Mount("/static", StaticFiles(directory=FRONTEND, check_dir=False), name="static"),
    ]
    from server.integrations import routes as integration_routes

    routes.extend(integration_routes.ROUTES)
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit, max_bytes=get_settings().max_body_bytes)
    return app


def __getattr__(name: str) -> Any:
    # `server.app:app` for uvicorn, built on first access (after settings are read).
    if name == "app":
        return create_app()
    raise AttributeError(name)
