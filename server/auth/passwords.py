"""Password hashing (argon2id) and the strength rules for new passwords.

`verify_password` never raises: a mismatch, a malformed hash or a wrong type is simply
`False`. `burn_verify()` spends the same time as a real verification, so that a login with
an unknown e-mail address cannot be told apart from one with a wrong password by timing.
"""

from __future__ import annotations

import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error, InvalidHashError

from server.errors import Code, DomainError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MIN_DISTINCT_CHARACTERS = 3

# argon2id with the library's (RFC 9106 "low memory") defaults; the hasher is stateless.
_hasher = PasswordHasher()

# Passwords of 12 or more characters that still top the leaked-password lists (compared
# case-insensitively). Deliberately small: the length and variety rules do the heavy lifting.
COMMON_PASSWORDS: frozenset[str] = frozenset(
    {
        "password1234",
        "password12345",
        "password123!",
        "password!234",
        "passw0rd1234",
        "p@ssw0rd1234",
        "wachtwoord12",
        "wachtwoord123",
        "wachtwoord1234",
        "wachtwoord01",
        "wachtwoord!!",
        "welkom123456",
        "welkom1234567",
        "welkomwelkom",
        "welkom01welkom",
        "qwertyuiop12",
        "qwertyuiop123",
        "qwertyuiop!!",
        "qwerty123456",
        "qwerty12345!",
        "qwertyqwerty",
        "1qaz2wsx3edc",
        "1q2w3e4r5t6y",
        "q1w2e3r4t5y6",
        "asdfghjkl123",
        "azertyuiop12",
        "zaq12wsxcde3",
        "abc123456789",
        "abcdefghijkl",
        "abcd1234abcd",
        "iloveyou1234",
        "letmein12345",
        "monkey123456",
        "dragon123456",
        "sunshine1234",
        "football1234",
        "voetbal12345",
        "ajax12345678",
        "feyenoord123",
        "administrator",
        "administratie",
        "boekhouding1",
        "boekhouding12",
        "accountant123",
        "changeme1234",
        "adminadmin12",
        "admin1234567",
        "geheim123456",
        "zomer2024!!!",
        "winter2024!!",
        "zomer2025!!!",
        "winter2025!!",
    }
)

_dummy_lock = threading.Lock()
_dummy_hash: str | None = None


def hash_password(password: str) -> str:
    """The argon2id hash (PHC string) of `password`."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`; `False` for any failure, never raises."""
    if not isinstance(password_hash, str | bytes) or not isinstance(password, str | bytes):
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (Argon2Error, ValueError, TypeError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's (or is not a hash at all)."""
    if not isinstance(password_hash, str | bytes):
        return True
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError, TypeError):
        return True


def check_password_strength(password: str) -> None:
    """Raise `DomainError(WEAK_PASSWORD)` unless `password` is acceptable as a new password."""
    if not isinstance(password, str):
        raise _weak("The password must be text.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _weak(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise _weak(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        raise _weak(
            f"The password must contain at least {MIN_DISTINCT_CHARACTERS} different characters."
        )
    if password.isdigit():
        raise _weak("The password must not consist of digits only.")
    if password.casefold() in COMMON_PASSWORDS:
        raise _weak("This password is too common; choose another one.")


def _weak(message: str) -> DomainError:
    return DomainError(Code.WEAK_PASSWORD, message, ())


def _get_dummy_hash() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        with _dummy_lock:
            if _dummy_hash is None:
                _dummy_hash = _hasher.hash(secrets.token_urlsafe(32))
    return _dummy_hash


def __getattr__(name: str) -> str:
    # `DUMMY_HASH` is computed on first access, not at import (hashing costs ~50 ms).
    if name == "DUMMY_HASH":
        return _get_dummy_hash()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def burn_verify(password: str = "") -> None:
    """Spend the time of one failed verification (for unknown accounts).

    Pass the submitted password so that even its length costs the same as a real check.
    """
    verify_password(_get_dummy_hash(), password)
