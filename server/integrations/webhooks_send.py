"""One webhook attempt over HTTP, and what to do after it (retry schedule, Retry-After).

No database here: `post` returns an `Attempt` value that the dispatcher records.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from server.integrations.webhooks_sign import sign
from server.settings import get_settings

# After the configured schedule: one more attempt every 10 hours until the horizon.
LATE_RETRY_SECONDS = 10 * 3600.0
JITTER = 0.10
# A receiver answers with a status; we never need more than a little of its body.
MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "relatiebeheer-webhooks/1"


@dataclass(frozen=True)
class Attempt:
    """The outcome of one POST: a status code or an error class name, never a secret."""

    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


def new_client() -> httpx.AsyncClient:
    """The HTTP client of a dispatcher: explicit timeout, redirects are failures."""
    timeout = get_settings().webhook_timeout
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
        headers={"user-agent": USER_AGENT},
    )


def headers_for(secret: str, message_id: str, body: bytes, timestamp: int) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt (the id stays the same on redelivery)."""
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }


async def post(
    client: httpx.AsyncClient, url: str, secret: str, message_id: str, body: bytes
) -> Attempt:
    """POST one signed delivery; every failure becomes an Attempt, nothing is raised."""
    at = datetime.now(UTC)
    headers = headers_for(secret, message_id, body, int(at.timestamp()))
    started = time.monotonic()
    status, error, retry_after = None, None, None
    try:
        # The whole exchange is bounded, not only each read (a receiver may drip-feed).
        async with asyncio.timeout(get_settings().webhook_timeout):
            async with client.stream("POST", url, content=body, headers=headers) as response:
                status = response.status_code
                retry_after = parse_retry_after(response.headers.get("retry-after"), at)
                await _drain(response)
    except Exception as exc:  # every failure is an outcome; the class name is safe to record
        error = type(exc).__name__
        if status is not None and isinstance(exc, httpx.HTTPError | TimeoutError):
            error = None  # the status arrived; a broken body afterwards does not matter
    duration = int((time.monotonic() - started) * 1000)
    return Attempt(at, status, error, duration, retry_after if status in (429, 503) else None)


async def _drain(response: httpx.Response) -> None:
    received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > MAX_RESPONSE_BYTES:
            break


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def next_delay(
    attempts: int, created_at: datetime, now: datetime, retry_after: float | None = None
) -> float | None:
    """Seconds until the next attempt after `attempts` failed ones; None: give up (DEAD).

    The schedule is settings.webhook_retries (seconds between attempts), then every 10
    hours, each with +-10% jitter; a longer Retry-After wins. Nothing is tried after
    settings.webhook_retry_horizon seconds from the change.
    """
    settings = get_settings()
    schedule = settings.webhook_retries
    base = schedule[attempts - 1] if 0 < attempts <= len(schedule) else LATE_RETRY_SECONDS
    delay = base * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 (not cryptographic)
    if retry_after is not None:
        delay = max(delay, retry_after)
    if now + timedelta(seconds=delay) > created_at + timedelta(
        seconds=settings.webhook_retry_horizon
    ):
        return None
    return delay
