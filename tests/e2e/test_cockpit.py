"""The cockpit against the real server: search, the whole card, links between cards,
deep links and a phone-sized screen."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, Request, expect

from tests.e2e.office import DRILL_DOWN_BASE, Api, Office
from tests.e2e.steps import TIMEOUT, open_card, sign_in

pytestmark = pytest.mark.e2e


async def search_ids(base: str, text: str) -> list[str]:
    async with httpx.AsyncClient() as client:
        api = await Api.sign_in(base, client, "anna@demo-kantoor.nl")
        data = await api.gql(
            "query($s: String) { relations(search: $s, first: 25) { edges { node { id } } } }",
            {"s": text},
        )
    return [edge["node"]["id"] for edge in data["relations"]["edges"]]


def searched_texts(requests: list[Request]) -> list[str | None]:
    bodies = [json.loads(r.post_data or "{}") for r in requests if r.url.endswith("/graphql")]
    return [b["variables"]["search"] for b in bodies if "RelationSearch" in b.get("query", "")]


async def test_searching_as_you_type_and_opening_a_result_with_the_keyboard(
    page: Page, live_server: str, office: Office
) -> None:
    rich = office.rich
    word = rich["displayName"].split()[0]
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    await sign_in(page, live_server)
    search = page.get_by_test_id("search")
    await expect(search).to_be_focused()

    ids = await search_ids(live_server, word)
    await search.press_sequentially(word)  # keystrokes well within the 250 ms debounce
    expected = "1 relatie gevonden." if len(ids) == 1 else f"{len(ids)} relaties gevonden."
    await expect(page.get_by_test_id("search-count")).to_have_text(expected, timeout=TIMEOUT)
    results = page.get_by_test_id("search-result")
    assert [await item.get_attribute("data-id") for item in await results.all()] == ids
    assert searched_texts(requests) == [None, word]  # debounced: one search for the word

    for _ in range(ids.index(rich["id"]) + 1):
        await search.press("ArrowDown")
    chosen = results.nth(ids.index(rich["id"]))
    await expect(chosen).to_have_attribute("aria-selected", "true")
    assert await search.get_attribute("aria-activedescendant") == await chosen.get_attribute("id")
    await search.press("Enter")

    await expect(page.get_by_test_id("card-title")).to_have_text(rich["displayName"])
    assert page.url == f"{live_server}/relations/{rich['id']}"


def texts_of(items: list[dict[str, Any]], key: str) -> list[str]:
    return sorted(item[key] for item in items)


async def test_the_card_shows_every_section_with_the_relations_data(
    page: Page, live_server: str, office: Office
) -> None:
    rich = office.rich
    await sign_in(page, live_server)
    await open_card(page, live_server, rich["id"], rich["displayName"])

    def section(key: str) -> Any:
        return page.locator(f"section[data-section={key}]")

    identity = section("identity").locator("[data-key=kvkNumber] dd")
    await expect(identity).to_have_text(rich["organisation"]["kvkNumber"])
    contact_names = section("contacts").locator("[data-testid=contact-row] .row__title")
    assert sorted(
        await contact_names.evaluate_all("els => els.map(e => e.firstChild.textContent)")
    ) == (texts_of(rich["contacts"], "displayName"))
    first = section("contacts").locator(f"[data-id='{rich['contacts'][0]['id']}'] .facts__row")
    await expect(first).to_have_text(["Bereikbaar opdinsdag en donderdag"])
    links = await section("links").get_by_test_id("link-to").all_text_contents()
    assert sorted(links) == sorted(link["to"]["displayName"] for link in rich["links"])
    in_group = {e[side]["displayName"] for e in rich["group"] for side in ("holder", "subsidiary")}
    group_links = await section("group").get_by_test_id("group-link").all_text_contents()
    assert set(group_links) == in_group - {rich["displayName"]}
    await expect(section("group").locator("[aria-current=page]")).to_have_text(rich["displayName"])
    staff = (
        await section("staff")
        .locator("[data-testid=staff-row] .row__title")
        .evaluate_all("els => els.map(e => e.firstChild.textContent)")
    )
    assert sorted(staff) == sorted(s["employee"]["name"] for s in rich["staff"])
    await expect(section("appointments").get_by_test_id("appointment-row")).to_have_count(1)
    await expect(section("appointments").locator(".row__title")).to_have_text(
        "Jaarrekening 2025 bespreken"
    )
    await expect(section("accounts").get_by_test_id("account-row")).to_contain_text(
        "Boekhouding Online"
    )
    await expect(section("accounts").get_by_test_id("account-row")).to_contain_text("ADM-4471")
    custom = section("customFields")
    await expect(custom.locator("h3")).to_have_text("Dossier")
    assert await custom.locator(".facts__row").all_inner_texts() == [
        "Branche\nHoreca",
        "Aantal werknemers\n14",
        "Jaarwerk afgerond\nNee",
    ]
    await expect(section("snapshots").get_by_test_id("snapshot-row")).to_contain_text(
        "Jaarafsluiting 2025"
    )
    await expect(section("history").get_by_test_id("version")).to_have_count(8)
    await expect(section("partner")).to_contain_text("Alleen van toepassing op personen.")


async def test_opening_a_linked_system_mints_a_drill_down_for_its_audience(
    page: Page, live_server: str, office: Office
) -> None:
    opened: list[str] = []

    async def linked_system(route: Any) -> None:
        opened.append(route.request.url)
        await route.fulfill(status=200, content_type="text/plain", body="boekhouding")

    await page.context.route(f"{DRILL_DOWN_BASE}/**", linked_system)
    await sign_in(page, live_server)
    await open_card(page, live_server, office.rich["id"], office.rich["displayName"])
    async with page.expect_popup() as popup_info:
        await page.get_by_test_id("account-open").click()
    popup = await popup_info.value
    await popup.wait_for_url(f"{DRILL_DOWN_BASE}/**")

    assert "ADM-4471" in popup.url
    token = popup.url.split("token=", 1)[1]
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["aud"] == DRILL_DOWN_BASE
    assert opened == [popup.url.split("#")[0]]


async def test_following_links_opens_the_other_relations_card(
    page: Page, live_server: str, office: Office
) -> None:
    rich = office.rich
    await sign_in(page, live_server)
    await open_card(page, live_server, rich["id"], rich["displayName"])
    link = page.get_by_test_id("link-to").first
    target_name = await link.text_content()
    target = next(x["to"] for x in rich["links"] if x["to"]["displayName"] == target_name)

    await link.click()
    await expect(page.get_by_test_id("card-title")).to_have_text(target["displayName"])
    assert page.url == f"{live_server}/relations/{target['id']}"

    await page.go_back()
    await expect(page.get_by_test_id("card-title")).to_have_text(rich["displayName"])
    member = page.get_by_test_id("group-link").first
    member_name = await member.text_content()
    await member.click()
    await expect(page.get_by_test_id("card-title")).to_have_text(member_name or "")
    assert page.url != f"{live_server}/relations/{rich['id']}"


async def test_a_deep_link_asks_for_sign_in_and_survives_a_reload(
    page: Page, live_server: str, office: Office
) -> None:
    rich = office.rich
    await page.goto(f"{live_server}/relations/{rich['id']}")
    await expect(page.get_by_test_id("login-form")).to_be_visible()
    await sign_in(page, live_server)
    await expect(page.get_by_test_id("card-title")).to_have_text(rich["displayName"])

    await page.reload()
    await expect(page.get_by_test_id("card-title")).to_have_text(rich["displayName"])
    assert page.url == f"{live_server}/relations/{rich['id']}"
    await expect(page.get_by_test_id("login-form")).to_have_count(0)


async def test_the_card_fits_a_phone_screen_without_sideways_scrolling(
    browser: Browser, live_server: str, office: Office
) -> None:
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    page = await context.new_page()
    try:
        await sign_in(page, live_server)
        await open_card(page, live_server, office.rich["id"], office.rich["displayName"])
        widths = await page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths == [390, 390]
        sections = page.locator("section[data-section]")
        await expect(sections).to_have_count(13)
        for box in [await s.bounding_box() for s in await sections.all()]:
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    finally:
        await context.close()
