"""Drill-down: a short-lived token any JWT library verifies against our JWKS (PyJWT here)."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import jwt
import pytest

from server.auth.keys import reset_keystore
from server.models import AuditEntry, Relation
from server.services.linked_accounts import link_account
from server.settings import get_settings
from tests.factories import make_employee
from tests.integration.helpers import ADMIN, create_relation, register

DRILL = """mutation($a: ID!) { drillDown(accountId: $a) {
  drillDown { url token expiresAt } errors { field code message } } }"""
AUDIENCE = "https://boekhouding.example"


async def _account(external_id: str = "BK/001", **system: str) -> tuple[str, str]:
    system_id, _ = await register(
        ADMIN, None, baseUrl="https://boekhouding.example/app", ssoAudience=AUDIENCE, **system
    )
    relation_id = await create_relation(ADMIN, "Bakkerij De Korf BV")
    account = await link_account(ADMIN, relation_id, system_id, external_id)
    return str(account["id"]), relation_id


async def _verify(client, token: str, audience: str = AUDIENCE) -> dict:
    jwks = jwt.PyJWKSet.from_dict((await client.get("/.well-known/jwks.json")).json())
    key = jwks[jwt.get_unverified_header(token)["kid"]]
    return jwt.decode(
        token,
        key.key,
        algorithms=["ES256"],
        audience=audience,
        issuer=get_settings().issuer,
        options={"require": ["iss", "aud", "sub", "exp", "iat", "jti"]},
    )


async def test_drill_down_returns_the_url_with_a_token_verifiable_against_the_jwks(api, client):
    employee = await make_employee("EMPLOYEE")
    account_id, relation_id = await _account()
    number = (await Relation.get(id=relation_id)).number

    data = (await api.gql(DRILL, {"a": account_id}, token=employee.token))["drillDown"]

    assert data["errors"] == []
    token = data["drillDown"]["token"]
    assert (
        data["drillDown"]["url"]
        == f"https://boekhouding.example/app/relations/BK%2F001#token={token}"
    )
    claims = await _verify(client, token)
    assert claims["sub"] == employee.id
    assert claims["aud"] == AUDIENCE
    assert (claims["external_id"], claims["relation_number"], claims["relation_id"]) == (
        "BK/001",
        number,
        relation_id,
    )
    assert 0 < claims["exp"] - claims["iat"] <= 300
    expires_at = datetime.fromisoformat(data["drillDown"]["expiresAt"])
    assert expires_at == datetime.fromtimestamp(claims["exp"], UTC)
    audit = await AuditEntry.get(action="DRILL_DOWN")
    assert (str(audit.actor_id), str(audit.relation_id)) == (employee.id, relation_id)
    assert token not in (audit.detail or "")


async def test_a_token_for_one_system_is_refused_by_another(api, client):
    employee = await make_employee("EMPLOYEE")
    account_id, _ = await _account()
    token = (await api.gql(DRILL, {"a": account_id}, token=employee.token))["drillDown"][
        "drillDown"
    ]["token"]

    with pytest.raises(jwt.InvalidAudienceError):
        await _verify(client, token, audience="https://salaris.example")


async def test_a_system_url_template_may_use_the_relation_number(api):
    employee = await make_employee("EMPLOYEE")
    account_id, relation_id = await _account(
        urlTemplate="{baseUrl}/klant?nummer={relationNumber}&id={externalId}"
    )
    number = (await Relation.get(id=relation_id)).number

    data = (await api.gql(DRILL, {"a": account_id}, token=employee.token))["drillDown"]

    url = data["drillDown"]["url"]
    assert url.startswith(
        f"https://boekhouding.example/app/klant?nummer={number}&id=BK%2F001#token="
    )


async def test_an_unknown_account_is_not_found(api):
    employee = await make_employee("EMPLOYEE")

    data = await api.gql(DRILL, {"a": "00000000-0000-0000-0000-000000000001"}, token=employee.token)

    assert data["drillDown"]["drillDown"] is None
    assert [(e["field"], e["code"]) for e in data["drillDown"]["errors"]] == [
        (["accountId"], "NOT_FOUND")
    ]


async def test_a_token_minted_before_key_rotation_still_verifies_after_it(
    api, client, env, tmp_path: Path
):
    env(RELATIEBEHEER_DATA_DIR=str(tmp_path))
    reset_keystore()
    try:
        employee = await make_employee("EMPLOYEE")
        account_id, _ = await _account()
        before = (await api.gql(DRILL, {"a": account_id}, token=employee.token))["drillDown"]
        old_token = before["drillDown"]["token"]

        await _rotate_keys(tmp_path)

        after = (await api.gql(DRILL, {"a": account_id}, token=employee.token))["drillDown"]
        new_token = after["drillDown"]["token"]
        jwks = (await client.get("/.well-known/jwks.json")).json()
        assert len(jwks["keys"]) == 2
        old_kid = jwt.get_unverified_header(old_token)["kid"]
        assert jwt.get_unverified_header(new_token)["kid"] != old_kid
        assert (await _verify(client, old_token))["sub"] == employee.id
        assert (await _verify(client, new_token))["sub"] == employee.id
    finally:
        reset_keystore()


async def _rotate_keys(data_dir: Path) -> None:
    """`relatiebeheer rotate-keys`, as an operator runs it, in another process."""
    command = Path(sys.executable).parent / "relatiebeheer"
    process = await asyncio.create_subprocess_exec(
        str(command),
        "rotate-keys",
        env={**os.environ, "RELATIEBEHEER_DATA_DIR": str(data_dir)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    assert out.decode().startswith("new signing key ")
