"""Every setting of the server, read from the environment in one place.

The README's settings table documents each variable; keep the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_WEBHOOK_RETRIES = (5, 300, 1800, 7200, 18000, 36000, 36000)


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def _retries() -> tuple[float, ...]:
    raw = os.environ.get("RELATIEBEHEER_WEBHOOK_RETRIES")
    if not raw:
        return DEFAULT_WEBHOOK_RETRIES
    return tuple(float(part) for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    issuer: str
    audience: str
    access_token_ttl: int
    sso_token_ttl: int
    debug: bool
    introspection: bool
    max_body_bytes: int
    max_query_depth: int
    max_aliases: int
    max_tokens: int
    max_page_size: int
    webhook_retries: tuple[float, ...]
    webhook_retry_horizon: float
    webhook_timeout: float
    calendar_sync_interval: float
    background_workers: bool
    card_cache_mb: int
    login_max_failures: int
    login_lock_seconds: int
    log_level: str = "INFO"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _database_url(data_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{(data_dir / 'relatiebeheer.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process; `reset_settings()` re-reads the environment (tests)."""
    data_dir = Path(os.environ.get("RELATIEBEHEER_DATA_DIR", "./data")).resolve()
    return Settings(
        data_dir=data_dir,
        database_url=_database_url(data_dir),
        issuer=os.environ.get("RELATIEBEHEER_ISSUER", "http://127.0.0.1:8000"),
        audience=os.environ.get("RELATIEBEHEER_AUDIENCE", "relatiebeheer"),
        access_token_ttl=_int("RELATIEBEHEER_ACCESS_TOKEN_TTL", 8 * 3600),
        sso_token_ttl=min(_int("RELATIEBEHEER_SSO_TOKEN_TTL", 120), 300),
        debug=_bool("RELATIEBEHEER_DEBUG", False),
        introspection=_bool("RELATIEBEHEER_INTROSPECTION", True),
        max_body_bytes=_int("RELATIEBEHEER_MAX_BODY_BYTES", 1_000_000),
        max_query_depth=_int("RELATIEBEHEER_MAX_QUERY_DEPTH", 10),
        max_aliases=_int("RELATIEBEHEER_MAX_ALIASES", 30),
        max_tokens=_int("RELATIEBEHEER_MAX_TOKENS", 2000),
        max_page_size=100,
        webhook_retries=_retries(),
        webhook_retry_horizon=_float("RELATIEBEHEER_WEBHOOK_RETRY_HORIZON", 72 * 3600),
        webhook_timeout=_float("RELATIEBEHEER_WEBHOOK_TIMEOUT", 10.0),
        calendar_sync_interval=_float("RELATIEBEHEER_CALENDAR_SYNC_INTERVAL", 60.0),
        background_workers=_bool("RELATIEBEHEER_BACKGROUND_WORKERS", True),
        card_cache_mb=_int("RELATIEBEHEER_CARD_CACHE_MB", 64),
        login_max_failures=_int("RELATIEBEHEER_LOGIN_MAX_FAILURES", 5),
        login_lock_seconds=_int("RELATIEBEHEER_LOGIN_LOCK_SECONDS", 300),
        log_level=os.environ.get("RELATIEBEHEER_LOG_LEVEL", "INFO"),
    )


def reset_settings() -> None:
    get_settings.cache_clear()
