"""A real server process (SQLite, demo office) and Debian's chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, async_playwright

from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM
from tests.e2e.office import Office, find_office
from tests.e2e.seeded import DATABASE, SeededTempFactory, seeded_template
from tests.live import serve_demo_office


@pytest.fixture(scope="session")
def live_data(tmp_path_factory: pytest.TempPathFactory) -> SeededTempFactory:
    return SeededTempFactory(tmp_path_factory, seeded_template())


@pytest.fixture(scope="session")
def live_server(live_data: SeededTempFactory) -> Iterator[str]:
    """`relatiebeheer serve` on a free port with the demo office (seeded once per code)."""
    yield from serve_demo_office(live_data)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def live_database(live_server: str, live_data: SeededTempFactory) -> Path:
    """The live server's SQLite file, for tests that check what it recorded."""
    return live_data.folders[0] / DATABASE


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    # The async API: the sync one runs its own event loop, which breaks later asyncio tests.
    if not HAVE_CHROMIUM:
        pytest.skip("Debian's chromium is not installed (tests/run.sh installs it)")
    async with async_playwright() as pw:
        instance = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        await instance.close()


@pytest.fixture(scope="session")
async def office(live_server: str) -> Office:
    """The relations the cockpit tests open, read (and completed) through the API."""
    return await find_office(live_server)


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh browser context at 1280x800; the test fails on any CSP violation or
    uncaught script error the cockpit causes."""
    context = await browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    page = await context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    yield page
    await context.close()
    assert problems == []
