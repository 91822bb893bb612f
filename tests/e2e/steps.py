"""Steps shared by the browser tests: signing in and opening a card."""

from __future__ import annotations

from playwright.async_api import Page, expect

from server.services.demo import DEMO_PASSWORD

TIMEOUT = 10_000


async def sign_in(page: Page, base: str, email: str = "anna@demo-kantoor.nl") -> None:
    """Sign in on the current page, or on the start page when none is open."""
    if not page.url.startswith(base):
        await page.goto(base + "/")
    await page.get_by_label("E-mailadres").fill(email)
    await page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    await page.get_by_test_id("login-form").get_by_role("button").click()
    await expect(page.get_by_test_id("login-form")).to_have_count(0, timeout=TIMEOUT)


async def open_card(page: Page, base: str, relation_id: str, name: str) -> None:
    """Go to a relation's card and wait until its history has loaded too."""
    await page.goto(f"{base}/relations/{relation_id}")
    await expect(page.get_by_test_id("card-title")).to_have_text(name, timeout=TIMEOUT)
    history = page.locator("section[data-section=history] .section__body > div")
    await expect(history).not_to_have_attribute("aria-busy", "true", timeout=TIMEOUT)
