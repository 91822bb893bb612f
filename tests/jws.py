"""Hand-made JWS tokens for tests: an implementation independent of python-jose, signed
with the server's real key (or a stranger's), so that exactly one thing can be wrong."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from server.auth.keys import get_keystore, jwk_thumbprint
from server.settings import get_settings


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def es256_sign(signing_input: bytes, private_pem: bytes) -> str:
    key = serialization.load_pem_private_key(private_pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    return b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def craft(
    payload: dict[str, Any],
    *,
    header: dict[str, Any] | None = None,
    private_pem: bytes | None = None,
) -> str:
    active = get_keystore().active()
    head = {"alg": "ES256", "typ": "at+jwt", "kid": active.kid}
    head.update(header or {})
    signing_input = f"{b64url_json(head)}.{b64url_json(payload)}"
    signature = es256_sign(signing_input.encode(), private_pem or active.private_pem)
    return f"{signing_input}.{signature}"


def claims(**overrides: Any) -> dict[str, Any]:
    settings = get_settings()
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": "emp-1",
        "role": "EMPLOYEE",
        "iat": now,
        "exp": now + 600,
        "jti": "0" * 32,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def stranger_key() -> tuple[bytes, str]:
    """A P-256 key the server does not know: its private PEM and its JWK thumbprint."""
    stranger = ec.generate_private_key(ec.SECP256R1())
    pem = stranger.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    numbers = stranger.public_key().public_numbers()
    kid = jwk_thumbprint(
        {
            "kty": "EC",
            "crv": "P-256",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big")),
        }
    )
    return pem, kid
