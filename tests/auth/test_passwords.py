from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from server.auth import passwords
from server.auth.passwords import (
    burn_verify,
    check_password_strength,
    hash_password,
    needs_rehash,
    verify_password,
)
from server.errors import Code, DomainError

GOOD = "Zonnebloem-akker-42"


def test_hash_is_argon2id_and_verifies() -> None:
    hashed = hash_password(GOOD)
    assert hashed.startswith("$argon2id$")
    assert GOOD not in hashed
    assert verify_password(hashed, GOOD) is True


def test_hashes_are_salted() -> None:
    assert hash_password(GOOD) != hash_password(GOOD)


def test_wrong_password_is_false() -> None:
    hashed = hash_password(GOOD)
    assert verify_password(hashed, GOOD + "x") is False
    assert verify_password(hashed, "") is False


@pytest.mark.parametrize("bad_hash", ["", "not a hash", "$argon2id$v=19$m=1$garbage", "$2b$12$x"])
def test_invalid_hash_is_false_not_an_exception(bad_hash: str) -> None:
    assert verify_password(bad_hash, GOOD) is False


def test_wrong_types_are_false_not_an_exception() -> None:
    assert verify_password(None, GOOD) is False  # type: ignore[arg-type]
    assert verify_password(hash_password(GOOD), None) is False  # type: ignore[arg-type]


def test_needs_rehash() -> None:
    assert needs_rehash(hash_password(GOOD)) is False
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(GOOD)
    assert verify_password(weak, GOOD) is True
    assert needs_rehash(weak) is True
    assert needs_rehash("not a hash") is True
    assert needs_rehash(None) is True  # type: ignore[arg-type]


def test_dummy_hash_is_computed_once_and_never_matches() -> None:
    first = passwords.DUMMY_HASH
    assert first.startswith("$argon2id$")
    assert first == passwords.DUMMY_HASH
    assert verify_password(first, "") is False
    burn_verify()
    burn_verify("some submitted password")


def test_unknown_module_attribute_still_raises() -> None:
    with pytest.raises(AttributeError):
        _ = passwords.NO_SUCH_THING


@pytest.mark.parametrize(
    "password",
    [
        "",
        "Kort-1!",
        "Elf-tekens!",  # 11 characters
        "aaaaaaaaaaaaaaaa",
        "abababababababab",  # two distinct characters
        "123456789012",
        "98765432109876543210",
        "password1234",
        "Password1234",
        "WELKOM123456",
        "wachtwoord12",
        "qwertyuiop12",
        "x" * 1025,
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(DomainError) as info:
        check_password_strength(password)
    assert info.value.code == Code.WEAK_PASSWORD
    assert info.value.field == []
    assert info.value.message


def test_non_text_password_is_refused() -> None:
    with pytest.raises(DomainError) as info:
        check_password_strength(123456789012345)  # type: ignore[arg-type]
    assert info.value.code == Code.WEAK_PASSWORD


@pytest.mark.parametrize(
    "password",
    [GOOD, "correct horse battery staple", "abcabcabcabc", "1234567890ab", "ä" * 10 + "öü"],
)
def test_acceptable_passwords_pass(password: str) -> None:
    check_password_strength(password)  # does not raise


def test_message_mentions_minimum_length() -> None:
    with pytest.raises(DomainError, match="12"):
        check_password_strength("short")
