from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.auth.keys import KeyStore, get_keystore, reset_keystore
from server.auth.tokens import (
    AccessClaims,
    TokenError,
    issue_access_token,
    mint_sso_token,
    verify_access_token,
)
from server.settings import get_settings, reset_settings
from tests.jws import b64url, b64url_decode, b64url_json, claims, craft, es256_sign, stranger_key

APP = "https://boekhouding.example.nl"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("RELATIEBEHEER_DATA_DIR", str(tmp_path))
    reset_settings()
    reset_keystore()
    yield tmp_path
    monkeypatch.undo()
    reset_settings()
    reset_keystore()


def refused(token: str, reason: str | None = None) -> TokenError:
    with pytest.raises(TokenError) as info:
        verify_access_token(token)
    if token:
        assert token not in str(info.value)
    if reason is not None:
        assert info.value.reason == reason
    return info.value


# -- issuing and verifying -------------------------------------------------------------


def test_issue_and_verify_round_trip(data_dir: Path) -> None:
    before = int(time.time())
    token, expires_at = issue_access_token("emp-1", "ADMIN", name="Jan de Vries")
    verified = verify_access_token(token)
    assert isinstance(verified, AccessClaims)
    assert verified.sub == "emp-1"
    assert verified.role == "ADMIN"
    assert verified.name == "Jan de Vries"
    assert verified.exp == expires_at
    assert re.fullmatch(r"[0-9a-f]{32}", verified.jti)

    header = json.loads(b64url_decode(token.split(".")[0]))
    payload = json.loads(b64url_decode(token.split(".")[1]))
    assert header["alg"] == "ES256"
    assert header["kid"] == get_keystore().active().kid
    settings = get_settings()
    assert payload["iss"] == settings.issuer
    assert payload["aud"] == settings.audience
    assert payload["exp"] - payload["iat"] == settings.access_token_ttl
    assert before <= payload["iat"] <= int(time.time())
    assert expires_at == datetime.fromtimestamp(payload["exp"], UTC)


def test_name_is_optional(data_dir: Path) -> None:
    token, _ = issue_access_token("emp-2", "EMPLOYEE")
    verified = verify_access_token(token)
    assert verified.name is None
    assert "name" not in json.loads(b64url_decode(token.split(".")[1]))


def test_each_token_has_its_own_jti(data_dir: Path) -> None:
    first = verify_access_token(issue_access_token("emp-1", "EMPLOYEE")[0])
    second = verify_access_token(issue_access_token("emp-1", "EMPLOYEE")[0])
    assert first.jti != second.jti


def test_access_claims_are_frozen(data_dir: Path) -> None:
    verified = verify_access_token(issue_access_token("emp-1", "EMPLOYEE")[0])
    with pytest.raises(AttributeError):
        verified.role = "ADMIN"  # type: ignore[misc]


def test_hand_made_token_verifies(data_dir: Path) -> None:
    # The control for the refusals below: the same construction with nothing wrong.
    assert verify_access_token(craft(claims())).sub == "emp-1"


def test_issue_access_token_refuses_empty_subject(data_dir: Path) -> None:
    with pytest.raises(ValueError):
        issue_access_token("", "EMPLOYEE")


# -- refusals ---------------------------------------------------------------------------


def test_expired_token_is_refused(data_dir: Path) -> None:
    now = int(time.time())
    refused(craft(claims(iat=now - 600, exp=now - 1)), "token expired")


def test_wrong_audience_is_refused(data_dir: Path) -> None:
    refused(craft(claims(aud="some-other-app")), "invalid claims")


def test_audience_list_is_refused(data_dir: Path) -> None:
    refused(craft(claims(aud=[get_settings().audience, "other"])), "invalid claims")


def test_wrong_issuer_is_refused(data_dir: Path) -> None:
    refused(craft(claims(iss="https://evil.example")), "invalid claims")


def test_alg_none_is_refused(data_dir: Path) -> None:
    kid = get_keystore().active().kid
    for alg in ("none", "None", "NONE"):
        head = b64url_json({"alg": alg, "typ": "at+jwt", "kid": kid})
        token = f"{head}.{b64url_json(claims())}."
        refused(token, "unsupported algorithm")


def test_hs256_signed_with_public_key_pem_is_refused(data_dir: Path) -> None:
    active = get_keystore().active()
    private = serialization.load_pem_private_key(active.private_pem, password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = b64url_json({"alg": "HS256", "typ": "at+jwt", "kid": active.kid})
    signing_input = f"{head}.{b64url_json(claims(role='ADMIN'))}"
    for secret in (public_pem, json.dumps(active.public_jwk).encode()):
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        refused(f"{signing_input}.{b64url(mac)}", "unsupported algorithm")


def test_tampered_payload_is_refused(data_dir: Path) -> None:
    token, _ = issue_access_token("emp-1", "EMPLOYEE")
    head, body, signature = token.split(".")
    payload = json.loads(b64url_decode(body))
    payload["role"] = "ADMIN"
    refused(f"{head}.{b64url_json(payload)}.{signature}", "invalid token")


def test_tampered_signature_is_refused(data_dir: Path) -> None:
    token, _ = issue_access_token("emp-1", "EMPLOYEE")
    head, body, signature = token.split(".")
    raw = bytearray(b64url_decode(signature))
    raw[-1] ^= 1
    refused(f"{head}.{body}.{b64url(bytes(raw))}", "invalid token")


def test_unknown_kid_is_refused(data_dir: Path) -> None:
    pem, kid = stranger_key()
    refused(craft(claims(), header={"kid": kid}, private_pem=pem), "unknown signing key")


def test_missing_kid_is_refused(data_dir: Path) -> None:
    head = b64url_json({"alg": "ES256", "typ": "at+jwt"})
    signing_input = f"{head}.{b64url_json(claims())}"
    signature = es256_sign(signing_input.encode(), get_keystore().active().private_pem)
    refused(f"{signing_input}.{signature}", "unknown signing key")


def test_stranger_key_with_our_kid_is_refused(data_dir: Path) -> None:
    stranger = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    refused(craft(claims(), private_pem=stranger), "invalid token")


@pytest.mark.parametrize("missing", ["exp", "iat", "iss", "aud", "sub"])
def test_missing_required_claim_is_refused(data_dir: Path, missing: str) -> None:
    payload = claims()
    del payload[missing]
    refused(craft(payload))


def test_missing_exp_is_refused(data_dir: Path) -> None:
    payload = claims()
    del payload["exp"]
    refused(craft(payload), "invalid token")


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": "9999999999"},
        {"exp": 9999999999.5},
        {"iat": None, "exp": int(time.time()) + 60},
        {"iat": int(time.time()) + 3600},
        {"sub": ""},
        {"role": None},
        {"jti": None},
        {"role": ["ADMIN"]},
    ],
)
def test_odd_claims_are_refused(data_dir: Path, overrides: dict[str, Any]) -> None:
    refused(craft(claims(**overrides)))


def test_token_without_access_type_is_refused(data_dir: Path) -> None:
    refused(craft(claims(), header={"typ": "JWT"}), "not an access token")


def test_crit_header_is_refused(data_dir: Path) -> None:
    refused(craft(claims(), header={"crit": ["exp"]}), "unsupported critical header")


@pytest.mark.parametrize(
    "token", ["", "abc", "a.b", "a.b.c.d", "!!!.!!!.!!!", "e30.e30.", "W10.e30.", "x" * 9000]
)
def test_malformed_tokens_are_refused(data_dir: Path, token: str) -> None:
    refused(token)


def test_non_string_token_is_refused(data_dir: Path) -> None:
    with pytest.raises(TokenError):
        verify_access_token(None)  # type: ignore[arg-type]


def test_sso_token_is_not_an_access_token(data_dir: Path) -> None:
    token, _, _ = mint_sso_token(audience=APP, employee_id="emp-1", claims={"role": "ADMIN"})
    refused(token)


# -- rotation ---------------------------------------------------------------------------


def test_token_of_retired_key_verifies_until_pruned(data_dir: Path) -> None:
    store = get_keystore()
    old_kid = store.active().kid
    token, _ = issue_access_token("emp-1", "EMPLOYEE")

    store.rotate()
    assert verify_access_token(token).sub == "emp-1"
    fresh, _ = issue_access_token("emp-1", "EMPLOYEE")
    assert json.loads(b64url_decode(fresh.split(".")[0]))["kid"] != old_kid
    assert verify_access_token(fresh).sub == "emp-1"

    # Another process, later than every token of the old key, prunes it.
    later = datetime.now(UTC) + timedelta(seconds=store.max_token_ttl + 1)
    assert KeyStore(clock=lambda: later).prune() == [old_kid]
    refused(token, "unknown signing key")
    assert verify_access_token(fresh).sub == "emp-1"


# -- SSO tokens --------------------------------------------------------------------------


def _pyjwt_decode(token: str, audience: str = APP) -> dict[str, Any]:
    kid = pyjwt.get_unverified_header(token)["kid"]
    [jwk] = [k for k in get_keystore().public_jwks()["keys"] if k["kid"] == kid]
    key = pyjwt.PyJWK(jwk)
    return pyjwt.decode(
        token,
        key.key,
        algorithms=["ES256"],
        audience=audience,
        issuer=get_settings().issuer,
        options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]},
    )


def test_sso_token_verifies_with_pyjwt(data_dir: Path) -> None:
    extra = {"email": "jan@kantoor.nl", "name": "Jan de Vries", "role": "EMPLOYEE"}
    token, expires_at, jti = mint_sso_token(audience=APP, employee_id="emp-1", claims=extra)
    decoded = _pyjwt_decode(token)
    assert decoded["sub"] == "emp-1"
    assert decoded["aud"] == APP
    assert decoded["jti"] == jti
    assert {k: decoded[k] for k in extra} == extra
    assert 0 < decoded["exp"] - decoded["iat"] <= 300
    assert decoded["exp"] - decoded["iat"] == get_settings().sso_token_ttl
    assert expires_at == datetime.fromtimestamp(decoded["exp"], UTC)
    assert pyjwt.get_unverified_header(token)["alg"] == "ES256"


def test_sso_token_for_another_audience_is_refused_by_pyjwt(data_dir: Path) -> None:
    token, _, _ = mint_sso_token(audience=APP, employee_id="emp-1", claims={})
    with pytest.raises(pyjwt.InvalidAudienceError):
        _pyjwt_decode(token, audience="https://other.example")


def test_sso_ttl_is_capped_at_300(data_dir: Path) -> None:
    token, _, _ = mint_sso_token(audience=APP, employee_id="emp-1", claims={}, ttl=3600)
    decoded = _pyjwt_decode(token)
    assert decoded["exp"] - decoded["iat"] == 300


def test_sso_ttl_can_be_shorter(data_dir: Path) -> None:
    token, _, _ = mint_sso_token(audience=APP, employee_id="emp-1", claims={}, ttl=30)
    decoded = _pyjwt_decode(token)
    assert decoded["exp"] - decoded["iat"] == 30


@pytest.mark.parametrize("reserved", ["iss", "aud", "sub", "iat", "exp", "nbf", "jti"])
def test_sso_claims_cannot_override_reserved_ones(data_dir: Path, reserved: str) -> None:
    with pytest.raises(ValueError):
        mint_sso_token(audience=APP, employee_id="emp-1", claims={reserved: "x"})


def test_sso_token_cannot_target_our_own_audience(data_dir: Path) -> None:
    with pytest.raises(ValueError):
        mint_sso_token(audience=get_settings().audience, employee_id="emp-1", claims={})


@pytest.mark.parametrize("ttl", [0, -5])
def test_sso_ttl_must_be_positive(data_dir: Path, ttl: int) -> None:
    with pytest.raises(ValueError):
        mint_sso_token(audience=APP, employee_id="emp-1", claims={}, ttl=ttl)


# -- the jose boundary -------------------------------------------------------------------


def test_only_the_tokens_module_imports_jose() -> None:
    server = Path(__file__).resolve().parents[2] / "server"
    pattern = re.compile(r"^\s*(from\s+jose\b|import\s+jose\b)", re.MULTILINE)
    offenders = [
        str(path.relative_to(server))
        for path in server.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == ["auth/tokens.py"]
