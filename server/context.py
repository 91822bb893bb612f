"""The typed per-request context: who asks, the request id, and this request's loaders."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from starlette.requests import Request

from server.auth.permissions import Actor
from server.loading import BatchLoader, WaveScheduler

BatchFn = Callable[..., Awaitable[Sequence[Any]]]


class Loaders:
    """Batch loaders created lazily, per request, one per (batch function, parameter).

    Domain modules define `async def batch(param, keys) -> list[...]` and load through
    `info.context.loaders.of(batch, param).load(key)`; loaders for edges that were not
    asked for are never created, and nothing is shared between requests. All loaders of a
    request share one wave scheduler (server/loading.py).
    """

    def __init__(self) -> None:
        self._loaders: dict[tuple[BatchFn, Hashable], BatchLoader] = {}
        self._scheduler = WaveScheduler()

    def of(self, batch: BatchFn, param: Hashable = None) -> BatchLoader:
        key = (batch, param)
        loader = self._loaders.get(key)
        if loader is None:
            loader = BatchLoader(self._scheduler, partial(batch, param))
            self._loaders[key] = loader
        return loader


@dataclass
class Context:
    request: Request | None
    actor: Actor | None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    loaders: Loaders = field(default_factory=Loaders)
    # The response being built; an extension sets 401 on it for a missing/invalid token.
    response: Any = None
