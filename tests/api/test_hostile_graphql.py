"""Hostile GraphQL is refused cheaply: batching, fragment cycles, floods, probing."""

from __future__ import annotations

import time

import httpx
import pytest

from server.app import create_app
from server.schema import build_schema
from server.settings import reset_settings
from tests.factories import make_employee


async def test_a_batched_request_is_refused_with_400(client):
    admin = await make_employee("ADMIN")
    response = await client.post(
        "/graphql",
        json=[{"query": "{ me { id } }"}, {"query": "{ me { id } }"}],
        headers={"authorization": f"Bearer {admin.token}"},
    )
    assert response.status_code == 400


async def test_circular_fragments_are_a_validation_error(api):
    admin = await make_employee("ADMIN")
    query = "query { me { ...A } } fragment A on Employee { ...B } fragment B on Employee { ...A }"
    body = (await api.post(query, token=admin.token)).json()
    assert body["data"] is None
    assert "Cannot spread fragment" in body["errors"][0]["message"]


async def test_a_field_duplication_flood_is_refused_by_the_token_limit_quickly(api):
    admin = await make_employee("ADMIN")
    query = "{ me { " + "id " * 50_000 + "} }"
    started = time.perf_counter()
    response = await api.post(query, token=admin.token)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response.json()["errors"][0]["message"] == (
        "Syntax Error: Document contains more than 2000 tokens. Parsing aborted."
    )
    assert elapsed < 2.0


async def test_anonymous_clients_learn_nothing_but_that_they_must_sign_in(api):
    response = await api.post("{ relations { totalCount } }")
    assert response.status_code == 401
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "Authentication required: send a valid access token.",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ],
    }


@pytest.fixture
def closed_schema(monkeypatch):
    monkeypatch.setenv("RELATIEBEHEER_INTROSPECTION", "0")
    reset_settings()
    schema = build_schema()
    yield schema
    monkeypatch.delenv("RELATIEBEHEER_INTROSPECTION")
    reset_settings()
    build_schema()  # restores the suggestion setting of the default schema


async def test_without_introspection_probing_gets_no_suggestions(db, closed_schema):
    admin = await make_employee("ADMIN")
    app = create_app(manage_database=False, schema=closed_schema)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        headers = {"authorization": f"Bearer {admin.token}"}
        schema_probe = await http.post(
            "/graphql", json={"query": "{ __schema { types { name } } }"}, headers=headers
        )
        field_probe = await http.post("/graphql", json={"query": "{ mee }"}, headers=headers)
    assert schema_probe.json()["data"] is None
    assert "introspection" in schema_probe.json()["errors"][0]["message"].lower()
    message = field_probe.json()["errors"][0]["message"]
    assert message == "Cannot query field 'mee' on type 'Query'."
