"""Encryption at rest for sensitive values (BSN, calendar passwords, webhook secrets).

One Fernet key per installation, from RELATIEBEHEER_SECRET_KEY or created on first use in
the data dir (mode 0600). A separate HMAC key, derived from it, makes blind indexes:
equality lookups (is this BSN already registered?) without storing the value in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

from server.settings import get_settings


@lru_cache(maxsize=4)
def _key_for(data_dir: str, env_key: str | None) -> bytes:
    if env_key:
        return env_key.encode()
    path = os.path.join(data_dir, "secret.key")
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, "rb") as handle:
            return handle.read().strip()
    key = Fernet.generate_key()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def _key() -> bytes:
    settings = get_settings()
    return _key_for(str(settings.data_dir), os.environ.get("RELATIEBEHEER_SECRET_KEY"))


def encrypt(plain: str) -> str:
    return Fernet(_key()).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return Fernet(_key()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("stored secret cannot be decrypted with this installation's key") from exc


def blind_index(purpose: str, value: str) -> str:
    """Keyed hash of `value` for equality lookups; differs per purpose and installation."""
    mac_key = hashlib.sha256(b"blind-index:" + base64.urlsafe_b64decode(_key())).digest()
    return hmac.new(mac_key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
