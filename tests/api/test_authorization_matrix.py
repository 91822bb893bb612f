# ruff: noqa: UP031  (the GraphQL texts hold braces; %-formatting keeps them readable)
"""Every query and mutation x every role: who is refused, and that a refusal changes nothing.

The expectation comes from the role table in server/auth/permissions.py, restated here on
purpose (a test that read it back could not fail): ANY = every signed-in role, SENIOR =
MANAGER, PARTNER, ADMIN, ADMIN = the administrator alone. Anonymous is refused everything but
`login`. Most arguments are well-typed but point at nothing: a permitted role gets past the
gate (and may then get NOT_FOUND), a refused one is stopped at it. Where the decision depends
on the target (your own calendar or a colleague's) or a refused write must have something to
spoil, the arguments name things that exist (`@colleague`, `@system`, ...; see `_world`):
there a permitted role must succeed outright. A refusal must leave every row of every table
as it was. `test_every_operation_of_the_schema_is_in_the_matrix` keeps the table complete.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from graphql import FieldNode, OperationDefinitionNode, build_schema, parse
from tortoise import Tortoise

from server.auth.permissions import SYSTEM_ACTOR
from server.services import (
    calendar_connections,
    calendar_feeds,
    calendars,
    custom_field_definitions,
    linked_systems,
)
from tests.factories import make_employee
from tests.live import free_port

X = str(uuid.uuid4())
ROLES = ["ANONYMOUS", "EMPLOYEE", "MANAGER", "PARTNER", "ADMIN"]
ANY, SENIOR, ADMIN = set(ROLES[1:]), {"MANAGER", "PARTNER", "ADMIN"}, {"ADMIN"}
DATE = "2026-01-01"
T1, T2 = "2026-01-01T09:00:00Z", "2026-01-01T10:00:00Z"
CONNECT = """mutation($id: ID!, $url: String!) { connectCalendar(employeeId: $id, url: $url) {
  errors { code } } }"""
SYNC = """mutation($id: ID!) { syncCalendar(connectionId: $id) { errors { code } } }"""
SCHEMA = Path(__file__).resolve().parents[2] / "schema.graphql"

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
    ("login", "mutation { login(email: \"x@y.example\", password: \"wrong-pass-123\") "
     "{ errors { code } } }", {}, set(ROLES)),
    ("updateCustomField", "mutation($id: ID!) { updateCustomField(id: $id, input: {label: "
     "\"Nieuw\"}) { errors { code } } }", {"id": "@field"}, ADMIN),
    ("updateLinkedSystem", "mutation($id: ID!) { updateLinkedSystem(id: $id, input: {name: "
     "\"Nieuw\"}) { errors { code } } }", {"id": "@system"}, ADMIN),
    ("deactivateLinkedSystem", "mutation($id: ID!) { deactivateLinkedSystem(id: $id) "
     "{ errors { code } } }", {"id": "@system"}, ADMIN),
    ("connectCalendar own", CONNECT, {"id": "@me", "url": "@dead_url"}, ANY),
    ("connectCalendar colleague's", CONNECT, {"id": "@colleague", "url": "@dead_url"}, ADMIN),
    ("syncCalendar own", SYNC, {"id": "@my_connection"}, ANY),
    ("syncCalendar colleague's", SYNC, {"id": "@their_connection"}, ADMIN),
    ("shareCalendar", "mutation($id: ID!) { shareCalendar(viewerId: $id) { errors { code } } }",
     {"id": "@colleague"}, ANY),
    ("unshareCalendar", "mutation($id: ID!) { unshareCalendar(viewerId: $id) "
     "{ errors { code } } }", {"id": "@colleague"}, ANY),
    ("createCalendarFeed own", "mutation { createCalendarFeed { errors { code } } }", {}, ANY),
    ("createCalendarFeed colleague's", "mutation($id: ID!) { createCalendarFeed(employeeId: $id) "
     "{ errors { code } } }", {"id": "@colleague"}, ADMIN),
    ("revokeCalendarFeed own", "mutation { revokeCalendarFeed { errors { code } } }", {}, ANY),
    ("revokeCalendarFeed colleague's", "mutation($id: ID!) { revokeCalendarFeed(employeeId: $id) "
     "{ errors { code } } }", {"id": "@colleague"}, ADMIN),
]  # fmt: skip


async def _world(role: str) -> tuple[str | None, dict[str, str]]:
    """The role's token, and the things `@name` arguments stand for.

    Anonymous acts for no one; its `@me` is an employee it does not hold a token of. The
    calendar URL is on 127.0.0.1 where nothing listens: a sync fails fast, as a sync.
    """
    me = await make_employee("EMPLOYEE" if role == "ANONYMOUS" else role)
    colleague = await make_employee("EMPLOYEE")
    dead_url = f"http://127.0.0.1:{free_port()}/dav/agenda/"
    mine = await calendar_connections.connect_calendar(me.actor, me.id, dead_url, None, None)
    theirs = await calendar_connections.connect_calendar(
        colleague.actor, colleague.id, dead_url, None, None
    )
    await calendar_feeds.create_feed(colleague.actor)
    await calendars.share_calendar(me.actor, colleague.id)
    field = await custom_field_definitions.define(
        SYSTEM_ACTOR, {"key": "dossier", "label": "Dossier", "target": "RELATION", "type": "TEXT"}
    )
    system = await linked_systems.register_linked_system(
        SYSTEM_ACTOR,
        {"name": "Boekhouding", "kind": "BOOKKEEPING", "baseUrl": "https://boek.example",
         "ssoAudience": "https://boek.example", "webhookUrl": "https://boek.example/hook"},
    )  # fmt: skip
    world = {
        "@me": me.id,
        "@colleague": colleague.id,
        "@dead_url": dead_url,
        "@my_connection": str(mine["id"]),
        "@their_connection": str(theirs["id"]),
        "@field": str(field.id),
        "@system": str(system.row["id"]),
    }
    return (None if role == "ANONYMOUS" else me.token), world


async def _every_row() -> dict[str, list[str]]:
    """Every row of every table, so that a refused write that changed a column shows."""
    rows = {}
    for app in Tortoise.apps.values():
        for model in app.values():
            rows[model._meta.db_table] = sorted(map(repr, await model.all().values()))
    return rows


def _codes(body: dict) -> set[str]:
    """Every error code in the answer: GraphQL errors and mutation payload errors."""
    codes = {e.get("extensions", {}).get("code", "") for e in body.get("errors") or []}
    for value in (body.get("data") or {}).values():
        if isinstance(value, dict):
            codes |= {e["code"] for e in value.get("errors") or []}
    return codes


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_is_let_through_or_refused_exactly_as_the_role_table_says(api, role):
    token, world = await _world(role)
    wrong = []
    for name, query, variables, allowed in OPERATIONS:
        real = {k: world[v] for k, v in variables.items() if isinstance(v, str) and v in world}
        before = await _every_row() if role not in allowed else None
        response = await api.post(query, {**variables, **real}, token=token)
        body = response.json()
        codes = _codes(body)
        refused = bool(codes & {"FORBIDDEN", "UNAUTHENTICATED"})
        if role in allowed and (refused or (real and codes)):
            wrong.append(f"{name}: {role} was refused or failed ({codes})")
        if role not in allowed:
            expected = "UNAUTHENTICATED" if role == "ANONYMOUS" else "FORBIDDEN"
            if expected not in codes:
                wrong.append(f"{name}: {role} was not refused ({response.status_code} {body})")
            elif await _every_row() != before:
                wrong.append(f"{name}: refused for {role} but the database changed")
            if role == "ANONYMOUS" and response.status_code != 401:
                wrong.append(f"{name}: anonymous got HTTP {response.status_code}")
    assert wrong == []


def test_every_operation_of_the_schema_is_in_the_matrix():
    schema = build_schema(SCHEMA.read_text(encoding="utf-8"))
    assert schema.query_type is not None and schema.mutation_type is not None
    operations = set(schema.query_type.fields) | set(schema.mutation_type.fields)
    covered = set()
    for _, query, _, _ in OPERATIONS:
        document = parse(query)
        for definition in document.definitions:
            assert isinstance(definition, OperationDefinitionNode)
            covered |= {
                s.name.value
                for s in definition.selection_set.selections
                if isinstance(s, FieldNode)
            }
    assert sorted(operations - covered) == []
    assert sorted(covered - operations) == []


async def test_anonymous_login_is_the_one_open_door(api):
    body = (
        await api.post(
            'mutation { login(email: "x@y.example", password: "wrong-pass-123") '
            "{ errors { code } } }"
        )
    ).json()
    assert body["data"]["login"]["errors"] == [{"code": "INVALID"}]
