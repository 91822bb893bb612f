"""Signing in to the cockpit in a real browser."""

from __future__ import annotations

import pytest

from server.services.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def sign_in(page, base: str, email: str = "anna@demo-kantoor.nl") -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-form").get_by_role("button").click()
    page.get_by_test_id("search").wait_for(timeout=10_000)


def test_an_employee_signs_in_and_sees_the_search(page, live_server):
    sign_in(page, live_server)
    assert page.get_by_test_id("search").is_visible()
    assert page.locator("html").get_attribute("lang") == "nl"


def test_a_wrong_password_shows_a_dutch_error_and_keeps_the_email(page, live_server):
    page.goto(live_server + "/")
    page.get_by_label("E-mailadres").fill("anna@demo-kantoor.nl")
    page.get_by_label("Wachtwoord").fill("verkeerd-wachtwoord-1")
    page.get_by_test_id("login-form").get_by_role("button").click()
    error = page.get_by_test_id("field-error").first
    error.wait_for(timeout=10_000)
    assert page.get_by_label("E-mailadres").input_value() == "anna@demo-kantoor.nl"
