"""Fixtures for the linked-systems tests: short retry schedule, a dispatcher, receivers."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from server.settings import reset_settings
from tests.integration.receiver import Receiver

FAST_RETRIES = "0.1,0.1,0.2"


@pytest.fixture
def env() -> Iterator[Callable[..., None]]:
    """Set RELATIEBEHEER_* variables for one test; settings are re-read, then restored."""
    saved: dict[str, str | None] = {}

    def apply(**values: str) -> None:
        for name, value in values.items():
            saved.setdefault(name, os.environ.get(name))
            os.environ[name] = value
        reset_settings()

    yield apply
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    reset_settings()


@pytest.fixture(autouse=True)
def fast_retries(env: Callable[..., None]) -> None:
    env(RELATIEBEHEER_WEBHOOK_RETRIES=FAST_RETRIES)


@pytest.fixture
async def dispatcher(db: Any) -> AsyncIterator[None]:
    """A running webhook dispatcher in this event loop, stopped after the test."""
    from server.integrations import webhooks

    stop = await webhooks.start()
    try:
        yield
    finally:
        await stop()


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    """Start receivers on 127.0.0.1: receivers(script=[(500, {})], port=...)."""
    started: list[Receiver] = []

    def make(**options: Any) -> Receiver:
        receiver = Receiver(**options).start()
        started.append(receiver)
        return receiver

    yield make
    for receiver in started:
        receiver.stop()
