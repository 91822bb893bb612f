"""The secret ICS feed: valid RFC 5545 with VTIMEZONE, revocable, only a hash stored."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import icalendar

from server.models import Employee
from tests.calendar.helpers import CANCEL, CREATE, appointment_input, soon, verify_items
from tests.factories import make_employee

CREATE_FEED = (
    """mutation($e: ID) { createCalendarFeed(employeeId: $e) { url errors { code field } } }"""
)
REVOKE_FEED = """mutation($e: ID) { revokeCalendarFeed(employeeId: $e) { url errors { code } } }"""


async def _feed(api, staff, employee_id: str | None = None) -> str:
    data = await api.gql(CREATE_FEED, {"e": employee_id}, token=staff.token)
    assert data["createCalendarFeed"]["errors"] == []
    return data["createCalendarFeed"]["url"]


def _path(url: str) -> str:
    return url[url.index("/calendar/") :]


async def test_the_feed_is_valid_icalendar_with_a_timezone_and_cancellations(api, client, tmp_path):
    anna = await make_employee("EMPLOYEE", name="Anna de Vries")
    kept = await api.gql(
        CREATE, {"i": appointment_input([anna.id], title="Jaarrekening")}, token=anna.token
    )
    dropped = await api.gql(
        CREATE,
        {"i": appointment_input([anna.id], title="Vervallen", start=soon(4))},
        token=anna.token,
    )
    await api.gql(
        CREATE,
        {"i": appointment_input([anna.id], title="Te ver weg", start=soon(400))},
        token=anna.token,
    )
    await api.gql(
        CANCEL, {"id": dropped["createAppointment"]["appointment"]["id"]}, token=anna.token
    )
    url = await _feed(api, anna)
    assert url.startswith("http://127.0.0.1:8000/calendar/") and url.endswith(".ics")

    response = await client.get(_path(url))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.text)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Jaarrekening", "Vervallen"}
    assert str(events["Vervallen"]["STATUS"]) == "CANCELLED"
    assert str(events["Jaarrekening"]["UID"]) == kept["createAppointment"]["appointment"]["uid"]
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert events["Jaarrekening"]["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert calendar.to_ical().decode() == response.text

    verified = await verify_items(response.text, tmp_path)
    assert [code for code, _ in verified] == [0, 0], verified


async def test_only_the_hash_of_the_token_is_stored(api):
    anna = await make_employee("EMPLOYEE")
    url = await _feed(api, anna)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43
    stored = (await Employee.get(id=anna.id)).ics_token_hash
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored


async def test_a_revoked_or_replaced_feed_stops_working(api, client):
    anna = await make_employee("EMPLOYEE")
    first = await _feed(api, anna)
    second = await _feed(api, anna)
    assert (await client.get(_path(first))).status_code == 404
    assert (await client.get(_path(second))).status_code == 200
    revoked = await api.gql(REVOKE_FEED, {"e": None}, token=anna.token)
    assert revoked["revokeCalendarFeed"] == {"url": None, "errors": []}
    assert (await client.get(_path(second))).status_code == 404
    assert (await Employee.get(id=anna.id)).ics_token_hash is None
    assert (await client.get("/calendar/guessed-token.ics")).status_code == 404


async def test_only_an_admin_makes_a_feed_for_someone_else(api, client):
    anna, bob = await make_employee("EMPLOYEE"), await make_employee("EMPLOYEE")
    admin = await make_employee("ADMIN")
    refused = await api.gql(CREATE_FEED, {"e": anna.id}, token=bob.token)
    assert refused["createCalendarFeed"] == {
        "url": None,
        "errors": [{"code": "FORBIDDEN", "field": ["employeeId"]}],
    }
    assert (await Employee.get(id=anna.id)).ics_token_hash is None
    url = await _feed(api, admin, anna.id)
    assert (await client.get(_path(url))).status_code == 200


async def test_an_all_day_appointment_is_a_date_in_the_feed(api, client):
    anna = await make_employee("EMPLOYEE")
    start = soon(5, 0)
    await api.gql(
        CREATE,
        {
            "i": appointment_input(
                [anna.id], start=start, end=start + timedelta(hours=2), allDay=True
            )
        },
        token=anna.token,
    )
    response = await client.get(_path(await _feed(api, anna)))
    event = icalendar.Calendar.from_ical(response.text).walk("VEVENT")[0]
    assert event["DTSTART"].params.get("VALUE") == "DATE"
