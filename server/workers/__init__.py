"""Background loops started in the app's lifespan (webhook dispatch, calendar sync)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Stopper = Callable[[], Awaitable[None]]
# Each starter launches its loop(s) and returns a function that stops them.
STARTERS: list[Callable[[], Awaitable[Stopper]]] = []


async def start_background_work() -> Stopper:
    stoppers = [await start() for start in STARTERS]

    async def stop() -> None:
        for stopper in reversed(stoppers):
            await stopper()

    return stop
