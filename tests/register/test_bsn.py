"""The BSN: stored encrypted, masked for everyone, revealed (and audited) for senior roles only,
and never in search tokens, logs, errors, versions or events."""

from __future__ import annotations

import json
import logging

import pytest

from server.auth import secretbox
from server.models import AuditEntry, ChangeEvent, Relation, RelationSearchToken, Version
from tests.factories import make_employee
from tests.register.helpers import CREATE, JANSEN, SEARCH, UPDATE, codes, create

BSN = "111222333"
READ = "query($id: ID!) { relation(id: $id) { person { bsn bsnMasked } } }"


async def test_the_bsn_is_stored_encrypted_with_a_blind_index_and_its_last_digits(api):
    admin = await make_employee("ADMIN")
    rid = (await create(api, admin.token, JANSEN))["id"]
    row = await Relation.get(id=rid)
    assert row.bsn_encrypted is not None
    assert BSN not in row.bsn_encrypted
    assert secretbox.decrypt(row.bsn_encrypted) == BSN
    assert row.bsn_index == secretbox.blind_index("bsn", BSN)
    assert row.bsn_last_digits == "2333"


@pytest.mark.parametrize("role", ["PARTNER", "MANAGER", "ADMIN"])
async def test_senior_roles_read_the_bsn_and_every_read_is_audited(api, role):
    admin = await make_employee("ADMIN")
    rid = (await create(api, admin.token, JANSEN))["id"]
    reader = await make_employee(role)
    for _ in range(2):
        data = await api.gql(READ, {"id": rid}, token=reader.token)
        assert data["relation"]["person"] == {"bsn": BSN, "bsnMasked": "*****2333"}
    entries = await AuditEntry.filter(relation_id=rid).values("actor_id", "action")
    assert entries == [{"actor_id": reader.employee.id, "action": "READ_BSN"}] * 2


async def test_an_employee_sees_only_the_masked_bsn_and_nothing_is_audited(api):
    admin = await make_employee("ADMIN")
    rid = (await create(api, admin.token, JANSEN))["id"]
    employee = await make_employee("EMPLOYEE")
    data = await api.gql(READ, {"id": rid}, token=employee.token)
    assert data["relation"]["person"] == {"bsn": None, "bsnMasked": "*****2333"}
    assert await AuditEntry.all().count() == 0


async def test_the_bsn_is_not_a_search_token_and_searching_for_it_finds_nothing(api, caplog):
    caplog.set_level(logging.DEBUG)
    admin = await make_employee("ADMIN")
    await create(api, admin.token, JANSEN)
    caplog.clear()
    tokens = await RelationSearchToken.all().values_list("token", flat=True)
    assert tokens
    assert not [t for t in tokens if "2223" in t]
    for text in (BSN, "111 222 333", "2333"):
        found = (await api.gql(SEARCH, {"s": text}, token=admin.token))["relations"]
        assert found["totalCount"] == 0
    assert "2333" in caplog.text  # the SQL debug log shows query parameters ...
    assert BSN not in caplog.text  # ... but a BSN is never sent as one


async def test_the_bsn_never_reaches_versions_events_errors_or_logs(api, caplog):
    caplog.set_level(logging.DEBUG)
    admin = await make_employee("ADMIN")
    rid = (await create(api, admin.token, JANSEN))["id"]
    await api.gql(UPDATE, {"id": rid, "i": {"person": {"lastName": "Berg", "bsn": "123456782"}}},
                  token=admin.token)  # fmt: skip
    again = {"partyType": "PERSON", "person": {"lastName": "Kopie", "bsn": "123456782"}}
    conflict = (await api.gql(CREATE, {"i": again}, token=admin.token))["createRelation"]
    typo = {"partyType": "PERSON", "person": {"lastName": "Typo", "bsn": "123456789"}}
    invalid = (await api.gql(CREATE, {"i": typo}, token=admin.token))["createRelation"]
    assert codes(conflict["errors"]) == [("input.person.bsn", "CONFLICT")]
    assert codes(invalid["errors"]) == [("input.person.bsn", "INVALID_BSN")]
    versions = await Version.all().values("changes", "state")
    events = await ChangeEvent.all().values("payload")
    bsn_changes = [
        v["changes"]["bsn_encrypted"] for v in versions if "bsn_encrypted" in v["changes"]
    ]
    assert bsn_changes == [[None, "[hidden]"], ["[hidden]", "[hidden]"]]
    written = json.dumps([versions, events, conflict, invalid], default=str) + caplog.text
    for number in (BSN, "123456782", "123456789"):
        assert number not in written


async def test_giving_the_same_bsn_again_changes_nothing_and_null_clears_it(api):
    admin = await make_employee("ADMIN")
    rid = (await create(api, admin.token, JANSEN))["id"]
    same = {"person": {"lastName": "Berg", "bsn": "111.222.333"}}
    await api.gql(UPDATE, {"id": rid, "i": same}, token=admin.token)
    assert await Version.filter(entity="relation", op="update").count() == 0
    cleared = {"person": {"lastName": "Berg", "bsn": None}}
    data = await api.gql(UPDATE, {"id": rid, "i": cleared}, token=admin.token)
    assert data["updateRelation"]["relation"]["person"]["bsnMasked"] is None
    row = await Relation.get(id=rid)
    assert (row.bsn_encrypted, row.bsn_index, row.bsn_last_digits) == (None, None, None)
