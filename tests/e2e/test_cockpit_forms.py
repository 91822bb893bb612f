"""Changing data in the cockpit: field errors in Dutch next to their fields, nothing lost,
and the BSN shown in full only to the roles that may see it."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.e2e.office import Api, Office
from tests.e2e.steps import TIMEOUT, open_card, sign_in

pytestmark = pytest.mark.e2e


async def contact_email(base: str, relation_id: str, contact_id: str) -> str | None:
    async with httpx.AsyncClient() as client:
        api = await Api.sign_in(base, client, "anna@demo-kantoor.nl")
        card = await api.card(relation_id)
    return next(c["email"] for c in card["contacts"] if c["id"] == contact_id)


async def test_an_invalid_contact_email_shows_a_field_error_and_saves_once_fixed(
    page: Page, live_server: str, office: Office
) -> None:
    rich = office.rich
    contact = next(c for c in rich["contacts"] if c["email"])
    await sign_in(page, live_server)
    await open_card(page, live_server, rich["id"], rich["displayName"])
    await page.locator(f"[data-testid=contact-edit][data-contact-id='{contact['id']}']").click()
    form = page.get_by_test_id("contact-form")
    email = form.get_by_label("E-mailadres")
    await expect(email).to_have_value(contact["email"])

    await email.fill("naam@")
    await form.get_by_test_id("save").click()
    error = form.locator(".field", has=page.get_by_label("E-mailadres")).get_by_test_id(
        "field-error"
    )
    await expect(error).to_have_text("Vul een geldig e-mailadres in.", timeout=TIMEOUT)
    await expect(form.get_by_test_id("field-error")).to_have_count(1)
    await expect(email).to_have_attribute("aria-invalid", "true")
    described_by = (await email.get_attribute("aria-describedby") or "").split()
    assert described_by[-1] == await error.get_attribute("id")
    await expect(email).to_have_value("naam@")
    assert await contact_email(live_server, rich["id"], contact["id"]) == contact["email"]

    await email.fill("nieuw.adres@example.nl")
    await form.get_by_test_id("save").click()
    await expect(form).to_have_count(0, timeout=TIMEOUT)
    row = page.locator(f"[data-testid=contact-row][data-id='{contact['id']}']")
    await expect(row.get_by_role("link", name="nieuw.adres@example.nl")).to_be_visible()
    assert await contact_email(live_server, rich["id"], contact["id"]) == "nieuw.adres@example.nl"


async def test_a_new_relation_with_a_taken_kvk_number_names_the_relation_that_has_it(
    page: Page, live_server: str, office: Office
) -> None:
    rich = office.rich
    await sign_in(page, live_server)
    await page.get_by_test_id("relation-new").click()
    form = page.get_by_test_id("relation-form")
    await form.get_by_label("Statutaire naam").fill("Testbedrijf Kompas B.V.")
    await form.get_by_label("KvK-nummer").fill(rich["organisation"]["kvkNumber"])
    await form.get_by_label("Postcode").fill("12")
    await form.get_by_test_id("save").click()

    errors = form.get_by_test_id("field-error")
    await expect(errors).to_have_text(
        [
            f"Dit KvK-nummer is al vastgelegd bij relatie {rich['number']}.",
            "Vul de straat in.",
            "Vul het huisnummer in.",
            "Vul een geldige postcode in, bijvoorbeeld 1234 AB.",
            "Vul de plaats in.",
        ],
        timeout=TIMEOUT,
    )
    await expect(form.get_by_label("Statutaire naam")).to_have_value("Testbedrijf Kompas B.V.")

    await form.get_by_label("KvK-nummer").fill("")
    for label, value in (
        ("Straat", "Kompasweg"),
        ("Huisnummer", "7"),
        ("Postcode", "3511 AB"),
        ("Plaats", "Utrecht"),
    ):
        await form.get_by_label(label, exact=True).fill(value)
    await form.get_by_test_id("save").click()
    await expect(page.get_by_test_id("card-title")).to_have_text(
        "Testbedrijf Kompas B.V.", timeout=TIMEOUT
    )
    address = page.locator("section[data-section=addresses] [data-testid=address-row]")
    await expect(address).to_have_text(["BezoekadresKompasweg 73511 AB Utrecht"])


def bsn_reads(database: Path, relation_id: str) -> list[str]:
    """Who read this relation's BSN, oldest first, from the server's audit table."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT actor_id FROM audit_entry WHERE action = 'READ_BSN'"
            " AND replace(relation_id, '-', '') = ? ORDER BY id",
            (relation_id.replace("-", ""),),
        ).fetchall()
    return [str(uuid.UUID(str(row[0]))) for row in rows]


async def test_a_partner_reveals_the_bsn_in_an_audited_read_and_an_employee_cannot(
    page: Page, live_server: str, live_database: Path, office: Office
) -> None:
    person = office.person
    masked = person["person"]["bsnMasked"]
    reads_before = bsn_reads(live_database, person["id"])
    await sign_in(page, live_server, "pieter@demo-kantoor.nl")
    await open_card(page, live_server, person["id"], person["displayName"])
    bsn = page.get_by_test_id("bsn")
    await expect(bsn).to_have_text(masked)
    assert bsn_reads(live_database, person["id"]) == reads_before  # masked: nothing read

    await page.get_by_test_id("show-bsn").click()
    await expect(bsn).to_have_text(office.bsn)
    await expect(page.get_by_test_id("show-bsn")).to_have_text("Verberg BSN")
    assert bsn_reads(live_database, person["id"]) == [*reads_before, await employee_id(page)]

    await page.evaluate("sessionStorage.clear()")
    await page.reload()
    await sign_in(page, live_server, "sanne@demo-kantoor.nl")
    await expect(page.get_by_test_id("card-title")).to_have_text(person["displayName"])
    await expect(bsn).to_have_text(masked)
    await expect(page.get_by_test_id("show-bsn")).to_have_count(0)
    assert len(bsn_reads(live_database, person["id"])) == len(reads_before) + 1


async def employee_id(page: Page) -> str:
    session = await page.evaluate("JSON.parse(sessionStorage.getItem('relatiebeheer.session'))")
    return str(session["employee"]["id"])
