"""Signing in to the cockpit in a real browser."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.e2e.steps import sign_in

pytestmark = pytest.mark.e2e


async def test_an_employee_signs_in_and_sees_the_search(page: Page, live_server: str) -> None:
    await sign_in(page, live_server)
    await expect(page.get_by_test_id("search")).to_be_visible()
    assert await page.locator("html").get_attribute("lang") == "nl"


async def test_a_wrong_password_shows_an_error_and_keeps_the_email(
    page: Page, live_server: str
) -> None:
    await page.goto(live_server + "/")
    await page.get_by_label("E-mailadres").fill("anna@demo-kantoor.nl")
    await page.get_by_label("Wachtwoord").fill("verkeerd-wachtwoord-1")
    await page.get_by_test_id("login-form").get_by_role("button").click()
    await expect(page.get_by_test_id("field-error")).to_have_text(
        "Het e-mailadres of wachtwoord klopt niet.", timeout=10_000
    )
    assert await page.get_by_label("E-mailadres").input_value() == "anna@demo-kantoor.nl"
