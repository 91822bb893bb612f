"""The README's screenshot of a relation card: `python -m tests.e2e.screenshot [BASE_URL]`.

Without BASE_URL it starts its own server with the demo office (as the browser tests do);
it completes a rich BV client's card through the API, signs in as a partner and saves the
card at 1280x800 to docs/cockpit.png.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from playwright.async_api import async_playwright

from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.office import find_office
from tests.e2e.seeded import ROOT, SeededTempFactory, seeded_template
from tests.e2e.steps import open_card, sign_in
from tests.live import serve_demo_office

OUTPUT = ROOT / "docs" / "cockpit.png"


class _TempDirs:
    """The one method of pytest's TempPathFactory that serve_demo_office uses."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def mktemp(self, basename: str, numbered: bool = True) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"{basename}-", dir=self.root))


async def take(base: str, output: Path = OUTPUT) -> Path:
    office = await find_office(base)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(
            viewport={"width": 1280, "height": 800},
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            device_scale_factor=1,
        )
        page = await context.new_page()
        await sign_in(page, base, "pieter@demo-kantoor.nl")
        await open_card(page, base, office.rich["id"], office.rich["displayName"])
        await page.mouse.move(0, 0)
        output.parent.mkdir(exist_ok=True)
        await page.screenshot(path=str(output))
        await browser.close()
    return output


def main(argv: list[str]) -> None:
    if len(argv) > 1:
        print(asyncio.run(take(argv[1].rstrip("/"))))
        return
    with tempfile.TemporaryDirectory(prefix="cockpit-shot-") as root:
        factory = SeededTempFactory(_TempDirs(Path(root)), seeded_template())  # type: ignore[arg-type]
        with contextmanager(serve_demo_office)(factory) as base:  # type: ignore[arg-type]
            print(asyncio.run(take(base)))


if __name__ == "__main__":
    main(sys.argv)
