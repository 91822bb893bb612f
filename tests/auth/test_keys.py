from __future__ import annotations

import base64
import hashlib
import json
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.auth.keys import (
    KeyStore,
    KeyStoreError,
    get_keystore,
    reset_keystore,
)
from server.settings import get_settings, reset_settings

PUBLIC_MEMBERS = {"kty", "crv", "x", "y", "kid", "use", "alg"}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("RELATIEBEHEER_DATA_DIR", str(tmp_path))
    reset_settings()
    reset_keystore()
    yield tmp_path
    monkeypatch.undo()
    reset_settings()
    reset_keystore()


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _manifest(directory: Path) -> dict[str, dict[str, str | None]]:
    return json.loads((directory / "keys.json").read_text())["keys"]


def test_default_directory_is_data_dir_keys(data_dir: Path) -> None:
    assert KeyStore().directory == data_dir / "keys"
    assert get_keystore().directory == data_dir / "keys"


def test_first_use_creates_private_key_0600_in_directory_0700(data_dir: Path) -> None:
    store = KeyStore()
    assert not (data_dir / "keys").exists()
    key = store.active()
    directory = data_dir / "keys"
    pem_path = directory / f"{key.kid}.pem"
    assert _mode(directory) == 0o700
    assert _mode(pem_path) == 0o600
    assert pem_path.read_bytes() == key.private_pem
    assert key.private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    manifest = _manifest(directory)
    assert list(manifest) == [key.kid]
    assert manifest[key.kid]["retired_at"] is None
    assert manifest[key.kid]["created_at"]
    assert _mode(directory / "keys.json") == 0o600


def test_loose_existing_directory_is_tightened(data_dir: Path) -> None:
    directory = data_dir / "keys"
    directory.mkdir(mode=0o755)
    directory.chmod(0o755)
    KeyStore().active()
    assert _mode(directory) == 0o700


def test_key_is_stable_across_calls(data_dir: Path) -> None:
    store = KeyStore()
    assert store.active() == store.active()
    assert len(list((data_dir / "keys").glob("*.pem"))) == 1


def test_private_pem_is_not_in_repr(data_dir: Path) -> None:
    key = KeyStore().active()
    assert "PRIVATE" not in repr(key)


def test_jwks_has_only_public_parts(data_dir: Path) -> None:
    store = KeyStore()
    jwks = store.public_jwks()
    assert set(jwks) == {"keys"}
    [jwk] = jwks["keys"]
    assert set(jwk) == PUBLIC_MEMBERS
    assert "d" not in jwk
    assert jwk["kty"] == "EC"
    assert jwk["crv"] == "P-256"
    assert jwk["use"] == "sig"
    assert jwk["alg"] == "ES256"
    assert jwk["kid"] == store.active().kid
    assert store.active().public_jwk == jwk
    private = serialization.load_pem_private_key(store.active().private_pem, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    d = _b64url(private.private_numbers().private_value.to_bytes(32, "big"))
    assert d not in json.dumps(jwks)


def test_kid_is_rfc7638_thumbprint(data_dir: Path) -> None:
    key = KeyStore().active()
    private = serialization.load_pem_private_key(key.private_pem, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    numbers = private.public_key().public_numbers()
    x = _b64url(numbers.x.to_bytes(32, "big"))
    y = _b64url(numbers.y.to_bytes(32, "big"))
    # RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
    canonical = '{"crv":"P-256","kty":"EC","x":"' + x + '","y":"' + y + '"}'
    assert key.kid == _b64url(hashlib.sha256(canonical.encode()).digest())
    assert (key.public_jwk["x"], key.public_jwk["y"]) == (x, y)


def test_second_keystore_on_same_directory_reads_same_key(data_dir: Path) -> None:
    first = KeyStore().active()
    second = KeyStore().active()
    assert second.kid == first.kid
    assert second.private_pem == first.private_pem
    assert len(list((data_dir / "keys").glob("*.pem"))) == 1


def test_concurrent_first_use_creates_one_key(data_dir: Path) -> None:
    stores = [KeyStore() for _ in range(8)]
    barrier = threading.Barrier(len(stores))
    kids: list[str] = []
    errors: list[BaseException] = []

    def run(store: KeyStore) -> None:
        try:
            barrier.wait()
            kids.append(store.active().kid)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(kids)) == 1
    assert len(list((data_dir / "keys").glob("*.pem"))) == 1
    assert list(_manifest(data_dir / "keys")) == kids[:1]


def test_rotation_keeps_old_public_key_until_expiry_then_prune_drops_it(
    data_dir: Path,
) -> None:
    clock = FakeClock()
    store = KeyStore(max_token_ttl=3600, clock=clock)
    old = store.active()
    clock.advance(60)
    rotated_at = clock.now
    new = store.rotate()
    assert new.kid != old.kid
    assert store.active() == new

    manifest = _manifest(data_dir / "keys")
    assert manifest[new.kid]["retired_at"] is None
    assert manifest[old.kid]["retired_at"] == rotated_at.isoformat()

    assert [k["kid"] for k in store.public_jwks()["keys"]] == [new.kid, old.kid]
    assert store.by_kid(old.kid) == old.public_jwk

    clock.advance(3599)
    assert store.prune() == []
    assert store.by_kid(old.kid) is not None
    assert (data_dir / "keys" / f"{old.kid}.pem").exists()

    clock.advance(1)  # retired_at + max_token_ttl reached
    assert [k["kid"] for k in store.public_jwks()["keys"]] == [new.kid]
    assert store.by_kid(old.kid) is None
    assert store.prune() == [old.kid]
    assert not (data_dir / "keys" / f"{old.kid}.pem").exists()
    assert list(_manifest(data_dir / "keys")) == [new.kid]
    assert store.prune() == []
    assert store.active() == new


def test_default_retention_is_longest_token_ttl(data_dir: Path) -> None:
    settings = get_settings()
    expected = max(settings.access_token_ttl, settings.sso_token_ttl)
    assert KeyStore().max_token_ttl == expected


def test_rotation_by_another_store_is_seen(data_dir: Path) -> None:
    reader = KeyStore()
    writer = KeyStore()
    old = reader.active()
    new = writer.rotate()
    assert reader.active().kid == new.kid
    assert reader.by_kid(new.kid) == new.public_jwk
    assert reader.by_kid(old.kid) == old.public_jwk


def test_prune_by_another_store_is_seen(data_dir: Path) -> None:
    clock = FakeClock()
    reader = KeyStore(max_token_ttl=60, clock=clock)
    old = reader.active()
    reader.rotate()
    later = FakeClock()
    later.now = clock.now + timedelta(seconds=61)
    assert KeyStore(max_token_ttl=60, clock=later).prune() == [old.kid]
    assert reader.by_kid(old.kid) is None


@pytest.mark.parametrize("kid", ["", "../../etc/passwd", "x" * 43 + "/", None, 42])
def test_by_kid_refuses_malformed_kids(data_dir: Path, kid: object) -> None:
    store = KeyStore()
    store.active()
    assert store.by_kid(kid) is None


def test_by_kid_unknown_is_none(data_dir: Path) -> None:
    store = KeyStore()
    store.active()
    assert store.by_kid("A" * 43) is None


def test_key_file_not_matching_its_kid_is_refused(data_dir: Path) -> None:
    first = KeyStore().active()
    directory = data_dir / "keys"
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (directory / f"{first.kid}.pem").write_bytes(other)
    with pytest.raises(KeyStoreError):
        KeyStore().active()


def test_corrupt_manifest_is_refused(data_dir: Path) -> None:
    KeyStore().active()
    (data_dir / "keys" / "keys.json").write_text("{not json")
    with pytest.raises(KeyStoreError):
        KeyStore().active()


def test_get_keystore_is_cached_per_data_dir(
    data_dir: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = get_keystore()
    assert get_keystore() is store
    other_dir = tmp_path_factory.mktemp("other")
    monkeypatch.setenv("RELATIEBEHEER_DATA_DIR", str(other_dir))
    reset_settings()
    other = get_keystore()
    assert other is not store
    assert other.directory == other_dir / "keys"
    reset_keystore()
    assert get_keystore() is not other


def test_processes_starting_together_agree_on_one_key(data_dir: Path) -> None:
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from server.auth.keys import KeyStore\n"
        "go = Path(sys.argv[2])\n"
        "while not go.exists():\n"
        "    time.sleep(0.001)\n"
        "print(KeyStore(sys.argv[1]).active().kid)\n"
    )
    go = data_dir / "go"
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(data_dir / "keys"), str(go)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    time.sleep(0.5)
    go.touch()
    results = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    kids = {out.strip() for out, _ in results}
    assert len(kids) == 1
    assert len(list((data_dir / "keys").glob("*.pem"))) == 1
    assert list(_manifest(data_dir / "keys")) == list(kids)
