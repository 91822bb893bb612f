"""A server process takes its start-up objects out of the collector's walks."""

from __future__ import annotations

import gc
import weakref

from server import db
from server.app import create_app
from server.settings import reset_settings


class _Node:
    me: object = None


async def test_the_server_freezes_its_start_up_heap_once_started(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'heap.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("RELATIEBEHEER_BACKGROUND_WORKERS", "0")
    reset_settings()
    await db.migrate(url)
    app = create_app()
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        async with app.router.lifespan_context(app):
            assert gc.get_freeze_count() > 10_000  # the schema, models and modules
            # What requests make afterwards is still collected: a cycle nothing refers to.
            cycle = _Node()
            cycle.me = cycle
            gone = weakref.ref(cycle)
            del cycle
            gc.collect()
            assert gone() is None
    finally:
        gc.unfreeze()
        monkeypatch.undo()
        reset_settings()
