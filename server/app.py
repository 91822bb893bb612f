"""The ASGI application: /graphql, /.well-known/*, /healthz, the cockpit and its lifespan."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL

from server import db
from server.auth.backend import actor_from_header
from server.auth.keys import get_keystore
from server.context import Context
from server.middleware import BodySizeLimit, SecurityHeaders
from server.schema import get_schema
from server.settings import get_settings
from server.workers import start_background_work

log = logging.getLogger("relatiebeheer")
FRONTEND = Path(__file__).resolve().parent.parent / "frontend-static"


class GraphQLApp(GraphQL[Context, None]):
    async def get_context(self, request: Request, response: Any) -> Context:  # type: ignore[override]
        actor = await actor_from_header(request.headers.get("authorization"))
        return Context(request=request, actor=actor, response=response)


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
