"""Our tokens, and the only place in the code base that talks to python-jose.

Two kinds, both ES256 JWTs signed with the active key of the `KeyStore` (header `kid`):

* access tokens (header `typ: at+jwt`, RFC 9068) for our own API: `issue_access_token`
  and `verify_access_token`;
* short-lived SSO tokens (header `typ: JWT`) for another application (`aud`), which that
  application verifies against our JWKS: `mint_sso_token`.

Verification refuses anything but `alg: ES256` *before* any key is looked up (no `none`,
no HS256 with the public key as secret), verifies with the public key of the token's `kid`
only, and requires iss, aud, sub, iat and exp. Every failure is a `TokenError` whose
reason is a short fixed phrase; it never contains the token.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeGuard

from jose import jwt as jose_jwt
from jose.exceptions import ExpiredSignatureError, JWTClaimsError, JWTError

from server.auth.keys import ALGORITHM, get_keystore
from server.settings import get_settings

ACCESS_TOKEN_TYPE = "at+jwt"
SSO_TOKEN_TYPE = "JWT"
MAX_SSO_TOKEN_TTL = 300
MAX_TOKEN_LENGTH = 8192
# How far in the future `iat` may lie (clock skew between processes or hosts).
IAT_LEEWAY = 60
RESERVED_CLAIMS = frozenset({"iss", "aud", "sub", "iat", "exp", "nbf", "jti"})


class TokenError(Exception):
    """A token was refused; `reason` is a short phrase safe to log (never the token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AccessClaims:
    sub: str
    role: str
    exp: datetime
    jti: str
    name: str | None = None


def _decode_options() -> dict[str, Any]:
    # A fresh dict each time: python-jose writes into the options it is given.
    return {
        "verify_signature": True,
        "verify_aud": True,
        "verify_iat": True,
        "verify_exp": True,
        "verify_iss": True,
        "verify_sub": True,
        "require_aud": True,
        "require_exp": True,
        "require_iat": True,
        "require_iss": True,
        "require_sub": True,
        "leeway": 0,
    }


def _sign(claims: dict[str, Any], *, typ: str) -> str:
    key = get_keystore().active()
    token = jose_jwt.encode(
        claims,
        key.private_pem,
        algorithm=ALGORITHM,
        headers={"kid": key.kid, "typ": typ},
    )
    return str(token)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _nonempty_str(value: object) -> bool:
    return isinstance(value, str) and value != ""


def issue_access_token(
    employee_id: str, role: str, name: str | None = None
) -> tuple[str, datetime]:
    """A signed access token for `employee_id` and the moment it expires (UTC)."""
    if not _nonempty_str(employee_id):
        raise ValueError("employee_id must be a non-empty string")
    if not _nonempty_str(role):
        raise ValueError("role must be a non-empty string")
    settings = get_settings()
    now = int(time.time())
    exp = now + settings.access_token_ttl
    claims: dict[str, Any] = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": employee_id,
        "role": role,
        "iat": now,
        "exp": exp,
        "jti": uuid.uuid4().hex,
    }
    if name is not None:
        claims["name"] = name
    return _sign(claims, typ=ACCESS_TOKEN_TYPE), datetime.fromtimestamp(exp, UTC)


def verify_access_token(token: str) -> AccessClaims:
    """The claims of a valid access token; raises `TokenError` for anything else."""
    if (
        not isinstance(token, str)
        or not token
        or len(token) > MAX_TOKEN_LENGTH
        or token.count(".") != 2
    ):
        raise TokenError("malformed token")
    try:
        header = jose_jwt.get_unverified_header(token)
    except Exception:
        raise TokenError("malformed token") from None
    if not isinstance(header, dict):
        raise TokenError("malformed token")
    # Checked before any key is touched: refuses "none", HS256 and every other algorithm.
    if header.get("alg") != ALGORITHM:
        raise TokenError("unsupported algorithm")
    if header.get("typ") != ACCESS_TOKEN_TYPE:
        raise TokenError("not an access token")
    if "crit" in header:
        raise TokenError("unsupported critical header")
    public_jwk = get_keystore().by_kid(header.get("kid"))
    if public_jwk is None:
        raise TokenError("unknown signing key")

    settings = get_settings()
    try:
        claims = jose_jwt.decode(
            token,
            public_jwk,
            algorithms=[ALGORITHM],
            audience=settings.audience,
            issuer=settings.issuer,
            options=_decode_options(),
        )
    except ExpiredSignatureError:
        raise TokenError("token expired") from None
    except JWTClaimsError:
        raise TokenError("invalid claims") from None
    except JWTError:
        raise TokenError("invalid token") from None
    except Exception:  # python-jose lets e.g. TypeError escape for odd claim types
        raise TokenError("invalid token") from None

    if not isinstance(claims, Mapping):
        raise TokenError("invalid token")
    # Stricter than python-jose, which accepts numeric strings and audience lists.
    exp, iat = claims.get("exp"), claims.get("iat")
    if not _is_int(exp) or not _is_int(iat):
        raise TokenError("invalid claims")
    if iat > time.time() + IAT_LEEWAY:
        raise TokenError("invalid claims")
    if claims.get("aud") != settings.audience or claims.get("iss") != settings.issuer:
        raise TokenError("invalid claims")
    sub, role, jti, name = (claims.get(k) for k in ("sub", "role", "jti", "name"))
    if not (_nonempty_str(sub) and _nonempty_str(role) and _nonempty_str(jti)):
        raise TokenError("invalid claims")
    return AccessClaims(
        sub=str(sub),
        role=str(role),
        exp=datetime.fromtimestamp(exp, UTC),
        jti=str(jti),
        name=name if isinstance(name, str) else None,
    )


def mint_sso_token(
    *,
    audience: str,
    employee_id: str,
    claims: Mapping[str, Any],
    ttl: int | None = None,
) -> tuple[str, datetime, str]:
    """A short-lived token for application `audience`: (token, expires_at, jti).

    Lives `ttl` seconds (default `settings.sso_token_ttl`), never more than 300.
    """
    settings = get_settings()
    if not _nonempty_str(audience):
        raise ValueError("audience must be a non-empty string")
    if audience == settings.audience:
        raise ValueError("an SSO token must not be addressed to this server's own audience")
    if not _nonempty_str(employee_id):
        raise ValueError("employee_id must be a non-empty string")
    reserved = sorted(RESERVED_CLAIMS.intersection(claims))
    if reserved:
        raise ValueError(f"reserved claims cannot be overridden: {', '.join(reserved)}")
    lifetime = min(settings.sso_token_ttl if ttl is None else int(ttl), MAX_SSO_TOKEN_TTL)
    if lifetime <= 0:
        raise ValueError("ttl must be positive")
    now = int(time.time())
    exp = now + lifetime
    jti = uuid.uuid4().hex
    payload: dict[str, Any] = {
        **claims,
        "iss": settings.issuer,
        "aud": audience,
        "sub": employee_id,
        "iat": now,
        "exp": exp,
        "jti": jti,
    }
    token = _sign(payload, typ=SSO_TOKEN_TYPE)
    return token, datetime.fromtimestamp(exp, UTC), jti
