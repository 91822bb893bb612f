"""Staff who serve a relation, seen from the relation and from the employee."""

from __future__ import annotations

import uuid

from server.models import Employee, StaffAssignment, Version
from tests.factories import make_employee
from tests.graph.helpers import ASSIGN, UNASSIGN, events_of, graph_counts, make_relation

STAFF = """query($id: ID!) { relation(id: $id) { staff { role since employee { id name } } } }"""
SERVES = """query($id: ID!) { employee(id: $id) {
  assignments { role relation { id displayName } } } }"""


async def _assign(api, token, relation, employee, role="ACCOUNTANT", since=None):
    variables = {"r": relation, "e": employee, "o": role, "s": since}
    return (await api.gql(ASSIGN, variables, token))["assignStaff"]


def _errors(result):
    return [(e["field"], e["code"]) for e in result["errors"]]


async def test_an_assignment_shows_on_the_card_and_on_the_employee(api):
    staff = await make_employee("EMPLOYEE")
    sanne = await make_employee("EMPLOYEE", name="Sanne Bakker")
    smit = await make_relation("Bakkerij Smit BV")
    visser = await make_relation("Visser Transport BV")

    first = await _assign(api, staff.token, smit, sanne.id, "RELATION_MANAGER", "2024-01-01")
    await _assign(api, staff.token, visser, sanne.id, "ACCOUNTANT")
    await _assign(api, staff.token, smit, sanne.id, "TAX_ADVISER")

    assert first["errors"] == []
    assert first["assignment"]["employee"] == {"id": sanne.id, "name": "Sanne Bakker"}
    assert first["assignment"]["relation"]["id"] == smit
    card = (await api.gql(STAFF, {"id": smit}, staff.token))["relation"]["staff"]
    assert card == [
        {
            "role": "RELATION_MANAGER",
            "since": "2024-01-01",
            "employee": {"id": sanne.id, "name": "Sanne Bakker"},
        },
        {
            "role": "TAX_ADVISER",
            "since": None,
            "employee": {"id": sanne.id, "name": "Sanne Bakker"},
        },
    ]
    serves = (await api.gql(SERVES, {"id": sanne.id}, staff.token))["employee"]["assignments"]
    assert [(a["relation"]["displayName"], a["role"]) for a in serves] == [
        ("Bakkerij Smit BV", "RELATION_MANAGER"),
        ("Bakkerij Smit BV", "TAX_ADVISER"),
        ("Visser Transport BV", "ACCOUNTANT"),
    ]


async def test_assigning_records_history_and_tells_the_relation(api):
    staff = await make_employee("EMPLOYEE")
    sanne = await make_employee("EMPLOYEE")
    smit = await make_relation("Bakkerij Smit BV")

    aid = (await _assign(api, staff.token, smit, sanne.id))["assignment"]["id"]

    versions = await Version.filter(entity="assignment").values("entity_id", "op", "relation_id")
    assert versions == [{"entity_id": aid, "op": "create", "relation_id": uuid.UUID(smit)}]
    events = await events_of("assignment.added")
    assert [rid for rid, _ in events] == [smit]
    assert events[0][1]["data"]["employee_id"] == sanne.id


async def test_inactive_unknown_and_duplicate_assignments_are_refused(api):
    staff = await make_employee("EMPLOYEE")
    sanne = await make_employee("EMPLOYEE")
    gone = await make_employee("EMPLOYEE")
    await Employee.filter(id=gone.id).update(active=False)
    smit = await make_relation("Bakkerij Smit BV")
    await _assign(api, staff.token, smit, sanne.id, "ACCOUNTANT")
    before = await graph_counts()

    inactive = await _assign(api, staff.token, smit, gone.id)
    unknown = await _assign(api, staff.token, smit, str(uuid.uuid4()))
    nowhere = await _assign(api, staff.token, str(uuid.uuid4()), sanne.id)
    twice = await _assign(api, staff.token, smit, sanne.id, "ACCOUNTANT")

    assert inactive["assignment"] is None
    assert _errors(inactive) == [(["employeeId"], "INVALID")]
    assert _errors(unknown) == [(["employeeId"], "NOT_FOUND")]
    assert _errors(nowhere) == [(["relationId"], "NOT_FOUND")]
    assert _errors(twice) == [(["employeeId"], "CONFLICT")]
    assert await graph_counts() == before


async def test_unassigning_removes_it_from_both_sides(api):
    staff = await make_employee("EMPLOYEE")
    sanne = await make_employee("EMPLOYEE")
    smit = await make_relation("Bakkerij Smit BV")
    aid = (await _assign(api, staff.token, smit, sanne.id))["assignment"]["id"]

    removed = (await api.gql(UNASSIGN, {"id": aid}, staff.token))["unassignStaff"]
    again = (await api.gql(UNASSIGN, {"id": aid}, staff.token))["unassignStaff"]

    assert removed == {"deletedId": aid, "errors": []}
    assert _errors(again) == [(["id"], "NOT_FOUND")]
    assert await StaffAssignment.all().count() == 0
    assert (await api.gql(STAFF, {"id": smit}, staff.token))["relation"]["staff"] == []
    serves = await api.gql(SERVES, {"id": sanne.id}, staff.token)
    assert serves["employee"]["assignments"] == []
    assert [rid for rid, _ in await events_of("assignment.removed")] == [smit]
