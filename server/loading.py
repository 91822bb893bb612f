"""Per-request batch loading with waves: every edge of the card in a bounded number of queries.

A plain DataLoader dispatches its batch one event-loop tick after the first `load`. With
several edges loading at once, whether a late `load` (e.g. a link's `to` relation, issued when
the links query returns) joins a batch depends on how long the other queries take — so the
number of SQL statements would vary with the card's size. Here batches wait until no other
batch of the same request is in flight and the loop has settled: each "wave" of the query
tree then costs one statement per loader, whatever the data.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any

# Loop iterations without a new `load` before a wave is dispatched: long enough for the
# resolvers woken by the previous wave to issue their loads.
SETTLE_TICKS = 8


class BatchLoader:
    """Caches per key; collects keys until its request's scheduler dispatches the wave."""

    def __init__(
        self, scheduler: WaveScheduler, fn: Callable[[list[Any]], Awaitable[Sequence[Any]]]
    ) -> None:
        self.scheduler = scheduler
        self.fn = fn
        self.cache: dict[Hashable, asyncio.Future[Any]] = {}
        self.queue: dict[Hashable, asyncio.Future[Any]] = {}

    def load(self, key: Hashable) -> asyncio.Future[Any]:
        future = self.cache.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self.cache[key] = future
            self.queue[key] = future
            self.scheduler.ready(self)
        return future

    async def load_many(self, keys: Iterable[Hashable]) -> list[Any]:
        """The values of all keys, in order; one wait however many keys (no gather)."""
        futures = [self.load(key) for key in keys]
        pending = [f for f in futures if not f.done()]
        if pending:
            await asyncio.wait(pending)
        return [f.result() for f in futures]

    def prime(self, key: Hashable, value: Any, force: bool = False) -> None:
        if key in self.cache and not force:
            return
        future = asyncio.get_running_loop().create_future()
        future.set_result(value)
        self.cache[key] = future

    def clear_all(self) -> None:
        self.cache = {k: f for k, f in self.cache.items() if not f.done()}

    async def run(self) -> None:
        batch, self.queue = self.queue, {}
        try:
            results = await self.fn(list(batch))
            if len(results) != len(batch):
                raise RuntimeError("batch function returned the wrong number of results")
        except Exception as error:
            for future in batch.values():
                if not future.done():
                    future.set_exception(error)
            return
        for future, result in zip(batch.values(), results, strict=True):
            if not future.done():
                future.set_result(result)


class WaveScheduler:
    """Dispatches the ready loaders of one request together, once nothing is in flight."""

    def __init__(self) -> None:
        self.waiting: dict[int, BatchLoader] = {}
        self.in_flight = 0
        self.quiet_ticks = 0
        self.ticking = False

    def ready(self, loader: BatchLoader) -> None:
        self.waiting[id(loader)] = loader
        self.quiet_ticks = 0
        if not self.ticking:
            self.ticking = True
            asyncio.get_running_loop().call_soon(self._tick)

    def _tick(self) -> None:
        if self.in_flight:
            # Waits without spinning: `_finished` starts the ticks again.
            self.ticking = False
            return
        if self.quiet_ticks < SETTLE_TICKS:
            self.quiet_ticks += 1
            asyncio.get_running_loop().call_soon(self._tick)
            return
        self.ticking = False
        loaders, self.waiting = list(self.waiting.values()), {}
        for loader in loaders:
            self.in_flight += 1
            task = asyncio.ensure_future(loader.run())
            task.add_done_callback(self._finished)

    def _finished(self, _: asyncio.Future[None]) -> None:
        self.in_flight -= 1
        self.quiet_ticks = 0
        if not self.in_flight and self.waiting and not self.ticking:
            self.ticking = True
            asyncio.get_running_loop().call_soon(self._tick)
