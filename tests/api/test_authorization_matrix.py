# ruff: noqa: UP031  (the GraphQL texts hold braces; %-formatting keeps them readable)
"""Every query and mutation x every role: who is refused, and that a refusal changes nothing.

The expectation comes from the role table in server/auth/permissions.py, restated here on
purpose (a test that read it back could not fail): ANY = every signed-in role, SENIOR =
MANAGER, PARTNER, ADMIN, ADMIN = the administrator alone. Anonymous is refused everything but
`login`. Arguments are well-typed but point at nothing: a permitted role gets past the gate
(and may then get NOT_FOUND), a refused one is stopped at it.
"""

from __future__ import annotations

import uuid

import pytest
from tortoise import Tortoise

from tests.factories import make_employee

X = str(uuid.uuid4())
ROLES = ["ANONYMOUS", "EMPLOYEE", "MANAGER", "PARTNER", "ADMIN"]
ANY, SENIOR, ADMIN = set(ROLES[1:]), {"MANAGER", "PARTNER", "ADMIN"}, {"ADMIN"}
DATE = "2026-01-01"
T1, T2 = "2026-01-01T09:00:00Z", "2026-01-01T10:00:00Z"

# (name, operation, variables, roles allowed)
OPERATIONS: list[tuple[str, str, dict, set[str]]] = [
    ("me", "{ me { id } }", {}, ANY),
    ("relation", "query($id: ID!) { relation(id: $id) { id } }", {"id": X}, ANY),
    ("relationByNumber", "{ relationByNumber(number: \"1\") { id } }", {}, ANY),
    ("relations", "{ relations { totalCount } }", {}, ANY),
    ("employee", "query($id: ID!) { employee(id: $id) { id } }", {"id": X}, ANY),
    ("employees", "{ employees { id } }", {}, ANY),
    ("calendars", "query($ids: [ID!]!) { calendars(employeeIds: $ids, from: \"%s\", to: \"%s\") "
     "{ busy } }" % (T1, T2), {"ids": [X]}, ANY),
    ("appointment", "query($id: ID!) { appointment(id: $id) { id } }", {"id": X}, ANY),
    ("customFieldDefinitions", "{ customFieldDefinitions { id } }", {}, ANY),
    ("linkedSystems", "{ linkedSystems { id } }", {}, ANY),
    ("changes", "{ changes { id } }", {}, SENIOR),
    ("snapshot", "query($id: ID!) { snapshot(id: $id) { id } }", {"id": X}, ANY),
    ("verifySnapshots", "{ verifySnapshots { ok } }", {}, SENIOR),
    ("createRelation", "mutation { createRelation(input: {partyType: ORGANISATION, kinds: [CLIENT],"
     " organisation: {legalName: \"Matrix B.V.\"}}) { errors { code } } }", {}, ANY),
    ("updateRelation", "mutation($id: ID!) { updateRelation(id: $id, input: {website: "
     "\"https://x.nl\"}) { errors { code } } }", {"id": X}, ANY),
    ("archiveRelation", "mutation($id: ID!) { archiveRelation(id: $id) { errors { code } } }",
     {"id": X}, ANY),
    ("addContactPerson", "mutation($id: ID!) { addContactPerson(relationId: $id, input: "
     "{lastName: \"Jansen\"}) { errors { code } } }", {"id": X}, ANY),
    ("updateContactPerson", "mutation($id: ID!) { updateContactPerson(id: $id, input: "
     "{lastName: \"Jansen\"}) { errors { code } } }", {"id": X}, ANY),
    ("removeContactPerson", "mutation($id: ID!) { removeContactPerson(id: $id) "
     "{ errors { code } } }", {"id": X}, ANY),
    ("setPartnership", "mutation($id: ID!) { setPartnership(personId: $id, partnerId: $id, "
     "type: MARRIED, fiscalPartner: true) { errors { code } } }", {"id": X}, ANY),
    ("endPartnership", "mutation($id: ID!) { endPartnership(personId: $id) { errors { code } } }",
     {"id": X}, ANY),
    ("linkRelation", "mutation($id: ID!) { linkRelation(fromId: $id, toId: $id, type: BANK) "
     "{ errors { code } } }", {"id": X}, ANY),
    ("unlinkRelation", "mutation($id: ID!) { unlinkRelation(id: $id) { errors { code } } }",
     {"id": X}, ANY),
    ("addShareholding", "mutation($id: ID!) { addShareholding(holderId: $id, subsidiaryId: $id, "
     "percentage: \"50\") { errors { code } } }", {"id": X}, ANY),
    ("endShareholding", "mutation($id: ID!) { endShareholding(id: $id, until: \"%s\") "
     "{ errors { code } } }" % DATE, {"id": X}, ANY),
    ("createEmployee", "mutation { createEmployee(input: {name: \"N\", email: \"n@k.example\", "
     "role: EMPLOYEE, password: \"Lang-en-sterk-wachtwoord-7\"}) { errors { code } } }", {},
     ADMIN),
    ("assignStaff", "mutation($id: ID!) { assignStaff(relationId: $id, employeeId: $id, "
     "role: ACCOUNTANT) { errors { code } } }", {"id": X}, ANY),
    ("unassignStaff", "mutation($id: ID!) { unassignStaff(id: $id) { errors { code } } }",
     {"id": X}, ANY),
    ("createAppointment", "mutation($id: ID!) { createAppointment(input: {title: \"T\", start: "
     "\"%s\", end: \"%s\", employeeIds: [$id]}) { errors { code } } }" % (T1, T2), {"id": X}, ANY),
    ("updateAppointment", "mutation($id: ID!) { updateAppointment(id: $id, input: {title: \"T\", "
     "start: \"%s\", end: \"%s\", employeeIds: [$id]}) { errors { code } } }" % (T1, T2),
     {"id": X}, ANY),
    ("cancelAppointment", "mutation($id: ID!) { cancelAppointment(id: $id) { errors { code } } }",
     {"id": X}, ANY),
    ("defineCustomField", "mutation { defineCustomField(input: {key: \"matrix\", label: \"M\", "
     "target: RELATION, type: TEXT}) { errors { code } } }", {}, ADMIN),
    ("setCustomFields", "mutation($id: ID!) { setCustomFields(relationId: $id, values: []) "
     "{ errors { code } } }", {"id": X}, ANY),
    ("registerLinkedSystem", "mutation { registerLinkedSystem(input: {name: \"S\", kind: OTHER, "
     "baseUrl: \"https://s.example\", ssoAudience: \"s\"}) { errors { code } } }", {}, ADMIN),
    ("linkAccount", "mutation($id: ID!) { linkAccount(relationId: $id, systemId: $id, "
     "externalId: \"E\") { errors { code } } }", {"id": X}, ANY),
    ("drillDown", "mutation($id: ID!) { drillDown(accountId: $id) { errors { code } } }",
     {"id": X}, ANY),
    ("createSnapshot", "mutation($id: ID!) { createSnapshot(relationId: $id, reason: \"audit\") "
     "{ errors { code } } }", {"id": X}, ANY),
]  # fmt: skip


async def _row_counts() -> dict[str, int]:
    counts = {}
    for app in Tortoise.apps.values():
        for model in app.values():
            counts[model._meta.db_table] = await model.all().count()
    return counts


def _codes(body: dict) -> set[str]:
    """Every error code in the answer: GraphQL errors and mutation payload errors."""
    codes = {e.get("extensions", {}).get("code", "") for e in body.get("errors") or []}
    for value in (body.get("data") or {}).values():
        if isinstance(value, dict):
            codes |= {e["code"] for e in value.get("errors") or []}
    return codes


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_is_let_through_or_refused_exactly_as_the_role_table_says(api, role):
    token = None if role == "ANONYMOUS" else (await make_employee(role)).token
    wrong = []
    for name, query, variables, allowed in OPERATIONS:
        before = await _row_counts()
        response = await api.post(query, variables, token=token)
        body = response.json()
        codes = _codes(body)
        refused = bool(codes & {"FORBIDDEN", "UNAUTHENTICATED"})
        if role in allowed and refused:
            wrong.append(f"{name}: {role} was refused ({codes})")
        if role not in allowed:
            expected = "UNAUTHENTICATED" if role == "ANONYMOUS" else "FORBIDDEN"
            if expected not in codes:
                wrong.append(f"{name}: {role} was not refused ({response.status_code} {body})")
            elif await _row_counts() != before:
                wrong.append(f"{name}: refused for {role} but the database changed")
            if role == "ANONYMOUS" and response.status_code != 401:
                wrong.append(f"{name}: anonymous got HTTP {response.status_code}")
    assert wrong == []


async def test_anonymous_login_is_the_one_open_door(api):
    body = (
        await api.post(
            'mutation { login(email: "x@y.example", password: "wrong-pass-123") '
            "{ errors { code } } }"
        )
    ).json()
    assert body["data"]["login"]["errors"] == [{"code": "INVALID"}]
