"""Webhook secrets and signatures per the Standard Webhooks spec.

A secret is `whsec_` + base64 of 24 to 64 random bytes. The signature of one attempt is
`v1,` + base64(HMAC-SHA256(key, f"{id}.{timestamp}." + body)), where `key` is the decoded
part after `whsec_` and `body` the exact bytes sent: what `standardwebhooks` verifies.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
MIN_KEY_BYTES = 24
MAX_KEY_BYTES = 64
GENERATED_KEY_BYTES = 32


def generate_secret() -> str:
    """A fresh random secret (32 bytes of key)."""
    return PREFIX + base64.b64encode(secrets.token_bytes(GENERATED_KEY_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key inside a `whsec_` secret; ValueError (without the secret) when malformed."""
    if not isinstance(secret, str) or not secret.startswith(PREFIX):
        raise ValueError("a webhook secret starts with whsec_")
    try:
        key = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a webhook secret is whsec_ followed by base64") from None
    if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise ValueError(
            f"a webhook secret holds {MIN_KEY_BYTES} to {MAX_KEY_BYTES} bytes of random data"
        )
    return key


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value for one attempt."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")
