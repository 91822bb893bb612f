"""N concurrent clients for a while: latencies, throughput and the server's peak memory.

Used by bench/card.py for the in-process runs (schema.execute) and the HTTP runs (httpx
AsyncClient against a real `relatiebeheer serve`). A run lasts `seconds`, but every client
finishes at least one request, so a slow card still gets measured; a run whose first wave
alone would take longer than `cap` seconds is skipped and says so.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

Call = Callable[[], Awaitable[None]]


@dataclass
class Run:
    card: str
    concurrency: int
    requests: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    cpu_ms: float | None = None  # CPU of this process per request (in-process runs)
    peak_rss_mib: float | None = None
    skipped: str | None = None

    def percentile(self, q: float) -> float:
        """Nearest rank: the smallest latency with at least q% of the latencies at or below."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        rank = max(1, -(-len(ordered) * q // 100))
        return ordered[int(rank) - 1]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        found = asdict(self)
        del found["latencies_ms"]
        if self.latencies_ms:
            found.update(p50_ms=self.percentile(50), p99_ms=self.percentile(99),
                         rps=self.throughput)  # fmt: skip
        return found


def first_wave_estimate(single_ms: float, concurrency: int, parallel: int) -> float:
    """Seconds until the first of `concurrency` simultaneous requests all finish."""
    lanes = max(1, min(parallel, os.cpu_count() or 1))
    return single_ms / 1000 * concurrency / lanes


async def drive(
    call: Call,
    run: Run,
    seconds: float,
    cpu: bool = False,
    rss: Callable[[], float] | None = None,
) -> Run:
    """`run.concurrency` clients call `call` in a loop until `seconds` have passed."""
    deadline = time.perf_counter() + seconds
    peak = [0.0]

    async def client() -> None:
        while True:
            began = time.perf_counter()
            await call()
            ended = time.perf_counter()
            run.latencies_ms.append((ended - began) * 1000)
            if ended >= deadline:
                return

    async def sample() -> None:
        while rss is not None:
            peak[0] = max(peak[0], rss())
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    began, cpu_began = time.perf_counter(), time.process_time()
    try:
        # A TaskGroup: the first failing request stops every client of the run.
        async with asyncio.TaskGroup() as group:
            for _ in range(run.concurrency):
                group.create_task(client())
    finally:
        sampler.cancel()
    run.seconds = time.perf_counter() - began
    run.requests = len(run.latencies_ms)
    if cpu:
        run.cpu_ms = (time.process_time() - cpu_began) * 1000 / max(1, run.requests)
    if rss is not None:
        run.peak_rss_mib = max(peak[0], rss())
    return run
