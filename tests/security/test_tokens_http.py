"""Bad access tokens over HTTP: /graphql answers 401 UNAUTHENTICATED, no data, no write.

Every token is built from the server's real key store and claims, so the one thing wrong
with it is the one under test; the control case shows the same construction is accepted.
The signing helpers are the ones the unit tests of server/auth/tokens.py use.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives import serialization

from server.auth.keys import get_keystore
from server.auth.tokens import mint_sso_token
from server.models import Employee, Relation
from tests.factories import Staff, make_employee
from tests.jws import b64url, b64url_decode, b64url_json, claims, craft, stranger_key

READ = "{ me { id } relations { totalCount } }"
WRITE = """mutation { createRelation(input: {partyType: ORGANISATION, kinds: [CLIENT],
  organisation: {legalName: "Sleutel B.V."}}) { relation { id } errors { code } } }"""
UNAUTHENTICATED = {
    "data": None,
    "errors": [
        {
            "message": "Authentication required: send a valid access token.",
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ],
}


def _for(admin: Staff, **overrides: object) -> dict:
    return claims(sub=admin.id, role="ADMIN", **overrides)


def expired(admin: Staff) -> str:
    now = int(time.time())
    return craft(_for(admin, iat=now - 600, exp=now - 1))


def wrong_audience(admin: Staff) -> str:
    return craft(_for(admin, aud="https://boekhouding.example"))


def wrong_issuer(admin: Staff) -> str:
    return craft(_for(admin, iss="https://evil.example"))


def alg_none(admin: Staff) -> str:
    head = {"alg": "none", "typ": "at+jwt", "kid": get_keystore().active().kid}
    return f"{b64url_json(head)}.{b64url_json(_for(admin))}."


def hs256_with_public_key(admin: Staff) -> str:
    """The key confusion attack: HMAC keyed with the published public key (PEM)."""
    active = get_keystore().active()
    private = serialization.load_pem_private_key(active.private_pem, password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = b64url_json({"alg": "HS256", "typ": "at+jwt", "kid": active.kid})
    signing_input = f"{head}.{b64url_json(_for(admin))}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def hs256_with_public_jwk(admin: Staff) -> str:
    """The same attack keyed with the JWK as /.well-known/jwks.json publishes it."""
    active = get_keystore().active()
    head = b64url_json({"alg": "HS256", "typ": "at+jwt", "kid": active.kid})
    signing_input = f"{head}.{b64url_json(_for(admin))}"
    secret = json.dumps(active.public_jwk).encode()
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def tampered_payload(admin: Staff) -> str:
    """A valid signature of another payload: an EMPLOYEE's token with the admin's `sub`."""
    head, body, signature = craft(claims(sub="someone-else", role="EMPLOYEE")).split(".")
    payload = json.loads(b64url_decode(body))
    payload["sub"] = admin.id
    return f"{head}.{b64url_json(payload)}.{signature}"


def unknown_kid(admin: Staff) -> str:
    """Validly signed by a key of its own, named by that key's thumbprint."""
    pem, kid = stranger_key()
    return craft(_for(admin), header={"kid": kid}, private_pem=pem)


def sso_token(admin: Staff) -> str:
    """A drill-down token for a linked system is not an access token for us."""
    token, _, _ = mint_sso_token(
        audience="https://boekhouding.example", employee_id=admin.id, claims={"role": "ADMIN"}
    )
    return token


BAD_TOKENS: dict[str, Callable[[Staff], str]] = {
    "expired": expired,
    "wrong audience": wrong_audience,
    "wrong issuer": wrong_issuer,
    "alg none": alg_none,
    "HS256 keyed with the public key PEM": hs256_with_public_key,
    "HS256 keyed with the public JWK": hs256_with_public_jwk,
    "tampered payload": tampered_payload,
    "unknown kid": unknown_kid,
    "SSO token of another audience": sso_token,
}


async def _assert_refused(api, token: str) -> None:
    before = await Relation.all().count()
    for operation in (READ, WRITE):
        response = await api.post(operation, token=token)
        assert response.status_code == 401, response.text
        assert response.json() == UNAUTHENTICATED
    assert await Relation.all().count() == before


async def test_the_hand_made_token_of_an_admin_is_accepted(api):
    admin = await make_employee("ADMIN")
    token = craft(_for(admin))
    read = await api.gql(READ, token=token)
    assert read == {"me": {"id": admin.id}, "relations": {"totalCount": 0}}
    written = (await api.gql(WRITE, token=token))["createRelation"]
    assert written["errors"] == []
    assert await Relation.all().count() == 1


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
async def test_a_bad_token_gets_401_no_data_and_writes_nothing(api, caplog, kind):
    caplog.set_level(logging.DEBUG)
    admin = await make_employee("ADMIN")
    token = BAD_TOKENS[kind](admin)
    await _assert_refused(api, token)
    assert token not in caplog.text
    # The signature part alone would do to replay a token; it is not logged either.
    assert token.split(".")[2] == "" or token.split(".")[2] not in caplog.text


async def test_the_token_of_a_deactivated_employee_stops_working_at_once(api):
    admin = await make_employee("ADMIN")
    token = craft(_for(admin))
    assert (await api.gql(READ, token=token))["me"] == {"id": admin.id}
    await Employee.filter(id=admin.id).update(active=False)
    await _assert_refused(api, token)
