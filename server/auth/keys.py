"""The asymmetric keys that sign our tokens (ES256, EC P-256), kept in a directory.

Layout of the directory (default `<data_dir>/keys`, mode 0700):

    keys.json      manifest: {"version": 1, "keys": {kid: {"created_at", "retired_at"}}}
    <kid>.pem      private key, PKCS#8 PEM, mode 0600
    .keys.lock     lock file (fcntl.flock) serialising creation, rotation and pruning

The `kid` of a key is its RFC 7638 JWK thumbprint (base64url SHA-256), so it is checked
against the key material whenever a key is loaded. Exactly one key is active (its
`retired_at` is null) and signs new tokens. `rotate()` retires it; a retired key's public
part stays in the JWKS (and keeps verifying tokens) until `retired_at + max_token_ttl`,
after which `prune()` deletes it. Several processes may share the directory: every change
happens under the lock after re-reading the manifest, the manifest is replaced atomically,
and readers notice a changed manifest by its stat.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.settings import get_settings

ALGORITHM = "ES256"
CURVE = "P-256"
MANIFEST_NAME = "keys.json"
LOCK_NAME = ".keys.lock"
MANIFEST_VERSION = 1

# A base64url SHA-256 digest without padding; also keeps `<kid>.pem` inside the directory.
_KID_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")

Clock = Callable[[], datetime]


class KeyStoreError(RuntimeError):
    """The key directory is unusable (corrupt manifest, missing or mismatching key file)."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: bytes = field(repr=False)
    public_jwk: dict[str, str]


@dataclass(frozen=True)
class _Entry:
    kid: str
    created_at: datetime
    retired_at: datetime | None


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _public_members(public_key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    numbers = public_key.public_numbers()
    return {
        "kty": "EC",
        "crv": CURVE,
        "x": _b64url(numbers.x.to_bytes(32, "big")),
        "y": _b64url(numbers.y.to_bytes(32, "big")),
    }


def jwk_thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638 thumbprint of an EC public JWK: base64url(SHA-256(canonical JSON))."""
    canonical = json.dumps(
        {name: jwk[name] for name in ("crv", "kty", "x", "y")},
        separators=(",", ":"),
        sort_keys=True,
    )
    return _b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _parse_time(raw: object) -> datetime:
    if not isinstance(raw, str):
        raise ValueError("timestamp must be a string")
    value = datetime.fromisoformat(raw)
    if value.tzinfo is None:
        raise ValueError("timestamp must carry a time zone")
    return value


class KeyStore:
    """The signing keys in one directory; see the module docstring."""

    def __init__(
        self,
        directory: Path | str | None = None,
        *,
        max_token_ttl: int | None = None,
        clock: Clock | None = None,
    ) -> None:
        settings = get_settings()
        self.directory = Path(directory) if directory is not None else settings.data_dir / "keys"
        if max_token_ttl is None:
            max_token_ttl = max(settings.access_token_ttl, settings.sso_token_ttl)
        self.max_token_ttl = int(max_token_ttl)
        self._clock: Clock = clock or _utcnow
        self._mutex = threading.RLock()
        self._manifest_stat: tuple[int, int, int, int] | None = None
        self._entries: dict[str, _Entry] = {}
        self._public: dict[str, dict[str, str]] = {}
        self._private: dict[str, bytes] = {}

    # -- public API -------------------------------------------------------------------

    def active(self) -> SigningKey:
        """The key that signs new tokens; created (under the lock) on first use."""
        with self._mutex:
            self._refresh()
            entry = self._active_entry()
            if entry is None:
                with self._locked():
                    self._refresh(force=True)
                    entry = self._active_entry()
                    if entry is None:
                        entry = self._create_locked()
            return self._signing_key(entry.kid)

    def public_jwks(self) -> dict[str, list[dict[str, str]]]:
        """The JWKS to publish: the active key and retired keys whose tokens may still live."""
        with self._mutex:
            self.active()
            now = self._now()
            entries = sorted(
                (e for e in self._entries.values() if self._published(e, now)),
                key=lambda e: (e.retired_at is not None, -e.created_at.timestamp()),
            )
            return {"keys": [self._published_jwk(e.kid) for e in entries]}

    def by_kid(self, kid: object) -> dict[str, str] | None:
        """The public JWK of `kid` if it is still published, else None."""
        if not isinstance(kid, str) or not _KID_RE.match(kid):
            return None
        with self._mutex:
            self._refresh()
            entry = self._entries.get(kid)
            if entry is None or not self._published(entry, self._now()):
                return None
            return self._published_jwk(kid)

    def rotate(self) -> SigningKey:
        """Create a new active key and retire the current one (now)."""
        with self._mutex, self._locked():
            self._refresh(force=True)
            entry = self._create_locked()
            return self._signing_key(entry.kid)

    def prune(self) -> list[str]:
        """Delete retired keys whose tokens have all expired; returns their kids."""
        with self._mutex, self._locked():
            self._refresh(force=True)
            now = self._now()
            expired = [
                e.kid
                for e in self._entries.values()
                if e.retired_at is not None and not self._published(e, now)
            ]
            if not expired:
                return []
            entries = {kid: e for kid, e in self._entries.items() if kid not in expired}
            self._write_manifest(entries)
            for kid in expired:
                with contextlib.suppress(FileNotFoundError):
                    (self.directory / f"{kid}.pem").unlink()
                self._public.pop(kid, None)
                self._private.pop(kid, None)
            self._refresh(force=True)
            return expired

    # -- internals --------------------------------------------------------------------

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise KeyStoreError("the key store's clock must return aware datetimes")
        return now

    def _published(self, entry: _Entry, now: datetime) -> bool:
        if entry.retired_at is None:
            return True
        return now < entry.retired_at + timedelta(seconds=self.max_token_ttl)

    def _active_entry(self) -> _Entry | None:
        active = [e for e in self._entries.values() if e.retired_at is None]
        return max(active, key=lambda e: e.created_at) if active else None

    def _signing_key(self, kid: str) -> SigningKey:
        return SigningKey(
            kid=kid, private_pem=self._private[kid], public_jwk=self._published_jwk(kid)
        )

    def _published_jwk(self, kid: str) -> dict[str, str]:
        return {**self._public[kid], "kid": kid, "use": "sig", "alg": ALGORITHM}

    def _ensure_directory(self) -> None:
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        self.directory.mkdir(mode=0o700, exist_ok=True)
        if self.directory.stat().st_mode & 0o777 != 0o700:
            os.chmod(self.directory, 0o700)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self._ensure_directory()
        fd = os.open(self.directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _refresh(self, *, force: bool = False) -> None:
        """Re-read the manifest if it changed on disk (or always, when `force`)."""
        path = self.directory / MANIFEST_NAME
        try:
            st = path.stat()
        except FileNotFoundError:
            self._manifest_stat = None
            self._entries = {}
            return
        signature = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if not force and signature == self._manifest_stat:
            return
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != MANIFEST_VERSION:
                raise ValueError(f"unsupported manifest version {raw.get('version')!r}")
            entries: dict[str, _Entry] = {}
            for kid, item in raw["keys"].items():
                if not _KID_RE.match(kid):
                    raise ValueError(f"invalid kid {kid!r}")
                retired = item.get("retired_at")
                entries[kid] = _Entry(
                    kid=kid,
                    created_at=_parse_time(item["created_at"]),
                    retired_at=None if retired is None else _parse_time(retired),
                )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyStoreError(f"unreadable key manifest {path}: {exc}") from exc
        for kid in entries:
            if kid not in self._public:
                self._load_key(kid)
        self._entries = entries
        self._manifest_stat = signature

    def _load_key(self, kid: str) -> None:
        path = self.directory / f"{kid}.pem"
        try:
            pem = path.read_bytes()
            key = serialization.load_pem_private_key(pem, password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise KeyStoreError(f"cannot load signing key {kid}: {exc}") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(
            key.curve, ec.SECP256R1
        ):
            raise KeyStoreError(f"signing key {kid} is not an EC P-256 key")
        public = _public_members(key.public_key())
        if jwk_thumbprint(public) != kid:
            raise KeyStoreError(f"signing key file {path.name} does not match its kid")
        self._public[kid] = public
        self._private[kid] = pem

    def _create_locked(self) -> _Entry:
        """Create a key, retire the active one; the caller holds the lock."""
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        public = _public_members(key.public_key())
        kid = jwk_thumbprint(public)
        self._write_private(self.directory / f"{kid}.pem", pem)

        now = self._now()
        entries = {
            k: (_Entry(k, e.created_at, now) if e.retired_at is None else e)
            for k, e in self._entries.items()
        }
        entry = _Entry(kid=kid, created_at=now, retired_at=None)
        entries[kid] = entry
        self._public[kid] = public
        self._private[kid] = pem
        self._write_manifest(entries)
        self._refresh(force=True)
        return entry

    @staticmethod
    def _write_private(path: Path, data: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)

    def _write_manifest(self, entries: dict[str, _Entry]) -> None:
        document: dict[str, Any] = {
            "version": MANIFEST_VERSION,
            "algorithm": ALGORITHM,
            "keys": {
                e.kid: {
                    "created_at": e.created_at.isoformat(),
                    "retired_at": None if e.retired_at is None else e.retired_at.isoformat(),
                }
                for e in sorted(entries.values(), key=lambda e: e.created_at)
            },
        }
        data = (json.dumps(document, indent=2) + "\n").encode("utf-8")
        tmp = self.directory / f".{MANIFEST_NAME}.{os.getpid()}.{threading.get_ident()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.directory / MANIFEST_NAME)
        self._manifest_stat = None


_stores: dict[Path, KeyStore] = {}
_stores_lock = threading.Lock()


def get_keystore() -> KeyStore:
    """The key store of the configured data directory (one per directory per process)."""
    directory = get_settings().data_dir / "keys"
    with _stores_lock:
        store = _stores.get(directory)
        if store is None:
            store = _stores[directory] = KeyStore(directory)
        return store


def reset_keystore() -> None:
    """Forget the cached key stores (tests, after changing the settings)."""
    with _stores_lock:
        _stores.clear()
