"""Who sees what in calendars: own, seniors, colleagues (busy only) and shared calendars."""

from __future__ import annotations

from tests.calendar.helpers import CANCEL, CREATE, appointment_input, make_relation, soon
from tests.factories import make_employee

CALENDARS = """query($ids: [ID!]!, $from: DateTime!, $to: DateTime!) {
  calendars(employeeIds: $ids, from: $from, to: $to) {
    start end busy employee { id } appointment { id title } } }"""
EMPLOYEE_CALENDAR = """query($id: ID!, $from: DateTime!, $to: DateTime!) {
  employee(id: $id) { calendar(from: $from, to: $to) {
    start end busy appointment { id title } } } }"""
APPOINTMENT = "query($id: ID!) { appointment(id: $id) { id title } }"
SHARE = """mutation($v: ID!) { shareCalendar(viewerId: $v) {
  employee { id } errors { code field } } }"""
UNSHARE = (
    """mutation($v: ID!) { unshareCalendar(viewerId: $v) { employee { id } errors { code } } }"""
)
WEEK = {"from": soon(0, 0).isoformat(), "to": soon(7, 0).isoformat()}


async def _plan(api, staff, title: str, **extra):
    data = await api.gql(
        CREATE, {"i": appointment_input([staff.id], title=title, **extra)}, token=staff.token
    )
    return data["createAppointment"]["appointment"]


async def _calendar(api, viewer, owner) -> list[dict]:
    data = await api.gql(EMPLOYEE_CALENDAR, {"id": owner.id, **WEEK}, token=viewer.token)
    return data["employee"]["calendar"]


async def test_an_employee_sees_their_own_appointments_in_full(api):
    anna = await make_employee("EMPLOYEE")
    planned = await _plan(api, anna, "Tandarts")
    entries = await _calendar(api, anna, anna)
    assert entries == [
        {
            "start": planned["start"],
            "end": planned["end"],
            "busy": True,
            "appointment": {"id": planned["id"], "title": "Tandarts"},
        }
    ]


async def test_seniors_see_everyones_appointments_in_full(api):
    anna = await make_employee("EMPLOYEE")
    planned = await _plan(api, anna, "Tandarts")
    for role in ("PARTNER", "MANAGER", "ADMIN"):
        senior = await make_employee(role)
        entries = await _calendar(api, senior, anna)
        assert [e["appointment"] for e in entries] == [{"id": planned["id"], "title": "Tandarts"}]


async def test_an_employee_sees_a_colleagues_appointments_as_busy_blocks_only(api):
    anna, bob = await make_employee("EMPLOYEE"), await make_employee("EMPLOYEE")
    planned = await _plan(api, anna, "Tandarts")
    entries = await _calendar(api, bob, anna)
    assert entries == [
        {"start": planned["start"], "end": planned["end"], "busy": True, "appointment": None}
    ]
    hidden = await api.gql(APPOINTMENT, {"id": planned["id"]}, token=bob.token)
    assert hidden["appointment"] is None


async def test_a_shared_calendar_shows_its_details_until_it_is_unshared(api):
    anna, bob = await make_employee("EMPLOYEE"), await make_employee("EMPLOYEE")
    planned = await _plan(api, anna, "Tandarts")
    shared = await api.gql(SHARE, {"v": bob.id}, token=anna.token)
    assert shared["shareCalendar"] == {"employee": {"id": bob.id}, "errors": []}
    entries = await _calendar(api, bob, anna)
    assert entries[0]["appointment"] == {"id": planned["id"], "title": "Tandarts"}
    seen = await api.gql(APPOINTMENT, {"id": planned["id"]}, token=bob.token)
    assert seen["appointment"] == {"id": planned["id"], "title": "Tandarts"}
    await api.gql(UNSHARE, {"v": bob.id}, token=anna.token)
    assert (await _calendar(api, bob, anna))[0]["appointment"] is None


async def test_sharing_with_oneself_or_nobody_is_refused(api):
    anna = await make_employee("EMPLOYEE")
    myself = await api.gql(SHARE, {"v": anna.id}, token=anna.token)
    assert myself["shareCalendar"]["errors"] == [{"code": "INVALID", "field": ["viewerId"]}]
    nobody = await api.gql(SHARE, {"v": "not-an-id"}, token=anna.token)
    assert nobody["shareCalendar"]["errors"] == [{"code": "NOT_FOUND", "field": ["viewerId"]}]


async def test_cancelled_appointments_do_not_block_time(api):
    anna, bob = await make_employee("EMPLOYEE"), await make_employee("EMPLOYEE")
    planned = await _plan(api, anna, "Tandarts")
    await api.gql(CANCEL, {"id": planned["id"]}, token=anna.token)
    own = await _calendar(api, anna, anna)
    assert [(e["busy"], e["appointment"]["id"]) for e in own] == [(False, planned["id"])]
    assert await _calendar(api, bob, anna) == []


async def test_colleagues_side_by_side_each_under_their_own_name(api):
    anna, bob = await make_employee("EMPLOYEE"), await make_employee("EMPLOYEE")
    mine = await _plan(api, bob, "Eigen afspraak", start=soon(2, 8))
    theirs = await _plan(api, anna, "Privé", start=soon(1, 8))
    relation = await make_relation()
    client_work = await _plan(api, anna, "Klantbezoek", start=soon(3, 8), relationId=relation)
    data = await api.gql(CALENDARS, {"ids": [anna.id, bob.id], **WEEK}, token=bob.token)
    assert [(e["employee"]["id"], e["appointment"]) for e in data["calendars"]] == [
        (anna.id, None),
        (anna.id, None),
        (bob.id, {"id": mine["id"], "title": "Eigen afspraak"}),
    ]
    # Client work shows in full on the relation's card, and so through appointment(id).
    seen = await api.gql(APPOINTMENT, {"id": client_work["id"]}, token=bob.token)
    assert seen["appointment"]["title"] == "Klantbezoek"
    assert theirs["id"] != client_work["id"]


async def test_a_joint_appointment_is_visible_to_each_of_its_employees(api):
    anna, bob = await make_employee("EMPLOYEE"), await make_employee("EMPLOYEE")
    data = await api.gql(
        CREATE, {"i": appointment_input([anna.id, bob.id], title="Samen")}, token=anna.token
    )
    joint = data["createAppointment"]["appointment"]
    entries = await _calendar(api, bob, anna)
    assert entries[0]["appointment"] == {"id": joint["id"], "title": "Samen"}


async def test_a_window_longer_than_a_year_is_refused(api):
    anna = await make_employee("EMPLOYEE")
    response = await api.post(
        EMPLOYEE_CALENDAR,
        {"id": anna.id, "from": soon(0).isoformat(), "to": soon(400).isoformat()},
        token=anna.token,
    )
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "LIMIT"


async def test_an_empty_window_holds_nothing(api):
    anna = await make_employee("EMPLOYEE")
    await _plan(api, anna, "Tandarts")
    moment = soon(3, 9).isoformat()
    data = await api.gql(
        CALENDARS, {"ids": [anna.id], "from": moment, "to": moment}, token=anna.token
    )
    assert data["calendars"] == []
