"""Background loops started in the app's lifespan (webhook dispatch, calendar sync)."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable

Stopper = Callable[[], Awaitable[None]]
# Each module has `async def start() -> Stopper`: it launches its loop(s) and returns a
# function that stops them.
WORKER_MODULES = ("server.integrations.webhooks", "server.integrations.calendar_sync")


async def start_background_work() -> Stopper:
    stoppers: list[Stopper] = []
    for name in WORKER_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
            continue
        stoppers.append(await module.start())

    async def stop() -> None:
        for stopper in reversed(stoppers):
            await stopper()

    return stop
