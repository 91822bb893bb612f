"""Fixtures of the calendar tests: real Radicale servers on 127.0.0.1."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.calendar.helpers import Radicale


@pytest.fixture(scope="session")
def shared_radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server = Radicale(tmp_path_factory.mktemp("radicale"))
    server.start()
    yield server
    server.close_clients()
    server.stop()


@pytest.fixture
def radicale(shared_radicale: Radicale) -> Iterator[Radicale]:
    """The session's Radicale; each test works in calendars of its own users."""
    yield shared_radicale
    shared_radicale.close_clients()


@pytest.fixture
def own_radicale(tmp_path: Path) -> Iterator[Radicale]:
    """A Radicale for this test alone (it may be stopped and started again)."""
    server = Radicale(tmp_path / f"radicale-{uuid.uuid4().hex[:6]}")
    server.folder.mkdir()
    server.start()
    yield server
    server.close_clients()
    server.stop()
