"""Calendar credentials: encrypted at rest, never in API output, history or logs."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.auth import secretbox
from server.models import CalendarConnection, Version
from tests.calendar import remote
from tests.calendar.helpers import CONNECT, SYNC, Radicale, soon
from tests.factories import make_employee

PASSWORD = "Geheim-Agenda-Wachtwoord-7431"


@pytest.fixture
def locked_radicale(tmp_path: Path) -> Iterator[Radicale]:
    """A Radicale that checks passwords (htpasswd, plain) for one user."""
    folder = tmp_path / "locked"
    folder.mkdir()
    htpasswd = folder / "users"
    htpasswd.write_text(f"anna:{PASSWORD}\n")
    server = Radicale(folder, htpasswd=htpasswd)
    server.start()
    yield server
    server.close_clients()
    server.stop()


async def test_credentials_are_checked_stored_encrypted_and_never_shown(
    api, locked_radicale, caplog
):
    caplog.set_level(logging.DEBUG)
    anna = await make_employee("EMPLOYEE")
    url = await asyncio.to_thread(locked_radicale.make_calendar, "anna", PASSWORD)
    bodies: list[str] = []

    async def call(query: str, variables: dict) -> dict:
        response = await api.post(query, variables, token=anna.token)
        bodies.append(response.text)
        return response.json()["data"]

    wrong = await call(CONNECT, {"e": anna.id, "u": url, "n": "anna", "p": "verkeerd-wachtwoord"})
    connection_id = wrong["connectCalendar"]["connection"]["id"]
    refused = await call(SYNC, {"c": connection_id, "f": False})
    assert refused["syncCalendar"]["connection"]["lastError"] == (
        "sync-collection: access refused (401)"
    )

    await call(CONNECT, {"e": anna.id, "u": url, "n": "anna", "p": PASSWORD})
    calendar = locked_radicale.calendar(url, "anna", PASSWORD)
    await asyncio.to_thread(remote.add, calendar, remote.event_ics("a@phone", "Afspraak", soon(2)))
    synced = await call(SYNC, {"c": connection_id, "f": False})
    assert synced["syncCalendar"]["connection"]["lastError"] is None

    row = await CalendarConnection.get(id=connection_id)
    assert row.password_encrypted is not None and PASSWORD not in row.password_encrypted
    assert secretbox.decrypt(row.password_encrypted) == PASSWORD
    assert await CalendarConnection.filter(employee_id=anna.id).count() == 1
    versions = [str(v.changes) + str(v.state) for v in await Version.all()]
    for secret in (PASSWORD, "verkeerd-wachtwoord"):
        assert all(secret not in body for body in bodies)
        assert secret not in caplog.text
        assert all(secret not in text for text in versions)
    assert any(r.name.startswith("relatiebeheer.calendar") for r in caplog.records)


async def test_only_the_employee_or_an_admin_connects_a_calendar(api, radicale):
    anna, bob = await make_employee("EMPLOYEE"), await make_employee("EMPLOYEE")
    admin = await make_employee("ADMIN")
    url = f"{radicale.base}/anna-{uuid.uuid4().hex[:6]}/werk/"
    refused = await api.gql(CONNECT, {"e": anna.id, "u": url}, token=bob.token)
    assert refused["connectCalendar"]["errors"] == [
        {
            "field": ["employeeId"],
            "code": "FORBIDDEN",
            "message": "You may connect only your own calendar.",
        }
    ]
    assert await CalendarConnection.all().count() == 0
    allowed = await api.gql(CONNECT, {"e": anna.id, "u": url}, token=admin.token)
    assert allowed["connectCalendar"]["connection"]["employee"] == {"id": anna.id}
    sync_refused = await api.gql(
        SYNC, {"c": allowed["connectCalendar"]["connection"]["id"], "f": False}, token=bob.token
    )
    assert sync_refused["syncCalendar"]["errors"][0]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://agenda.example.nl/anna/",
        "http://agenda.example.nl/anna/werk/",
        "https://anna:geheim@agenda.example.nl/anna/werk/",
        "geen url",
    ],
)
async def test_unusable_calendar_urls_are_refused(api, url):
    anna = await make_employee("EMPLOYEE")
    data = await api.gql(CONNECT, {"e": anna.id, "u": url}, token=anna.token)
    assert [(e["field"], e["code"]) for e in data["connectCalendar"]["errors"]] == [
        (["url"], "INVALID_URL")
    ]
    assert await CalendarConnection.all().count() == 0
