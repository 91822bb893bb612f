"""Helpers for tests: employees with real tokens, and a small GraphQL client."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx

from server.auth.permissions import Actor, Role
from server.auth.tokens import issue_access_token
from server.models import Employee
from server.services import staff

PASSWORD = "Correct-Horse-Battery-9"
_seq = itertools.count(1)


@dataclass
class Staff:
    employee: Employee
    token: str

    @property
    def id(self) -> str:
        return str(self.employee.id)

    @property
    def actor(self) -> Actor:
        return Actor(
            id=str(self.employee.id), role=Role(self.employee.role), name=self.employee.name
        )


async def make_employee(role: str = "ADMIN", name: str | None = None) -> Staff:
    n = next(_seq)
    employee = await staff.create_employee(
        None,
        {
            "name": name or f"{role.title()} Medewerker {n}",
            "email": f"{role.lower()}{n}@kantoor.example",
            "role": role,
            "password": PASSWORD,
        },
    )
    token, _ = issue_access_token(str(employee.id), employee.role, employee.name)
    return Staff(employee, token)


class Api:
    """POST /graphql as a client would, with or without a bearer token."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """The `data` of a successful operation; fails the test on GraphQL errors."""
        response = await self.post(query, variables, token)
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]
