"""Relation.versions: every write to the card, newest first, with who and what changed."""

from __future__ import annotations

from server.auth import secretbox
from server.models import Version
from tests.factories import make_employee
from tests.history import helpers as h

VERSIONS = """query($id: ID!, $first: Int, $asOf: DateTime) {
  relation(id: $id, asOf: $asOf) {
    versions(first: $first) { at entity entityId op changes actor { id name } }
  }
}"""


async def _versions(api, token, relation_id, first=20, as_of=None):
    variables = {"id": relation_id, "first": first, "asOf": as_of.isoformat() if as_of else None}
    data = await api.gql(VERSIONS, variables, token=token)
    return data["relation"]["versions"]


async def test_versions_list_the_writes_to_the_card_newest_first_with_actor_and_changes(api):
    admin = await make_employee("ADMIN", name="Els Admin")
    bakery = await h.make_relation(admin.actor, "Bakkerij Versie B.V.")
    address = await h.add_address(admin.actor, bakery, "Oudegracht")
    contact = await h.add_contact(admin.actor, bakery, "Jansen", job_title="Chef")
    await h.update(admin.actor, "contact", contact, job_title="Directeur")
    await h.delete(admin.actor, "address", address)

    versions = await _versions(api, admin.token, bakery)

    assert [(v["entity"], v["op"]) for v in versions] == [
        ("address", "delete"),
        ("contact", "update"),
        ("contact", "create"),
        ("address", "create"),
        ("relation", "create"),
    ]
    assert versions[1]["changes"] == {"job_title": ["Chef", "Directeur"]}
    assert versions[1]["entityId"] == contact
    assert versions[0]["changes"]["street"] == ["Oudegracht", None]
    assert {v["actor"]["name"] for v in versions} == {"Els Admin"}
    assert [v["at"] for v in versions] == sorted((v["at"] for v in versions), reverse=True)


async def test_versions_include_edges_that_point_at_the_relation_from_elsewhere(api):
    admin = await make_employee("ADMIN")
    notary = await h.make_relation(admin.actor, "Notariskantoor Recht")
    client = await h.make_relation(admin.actor, "Klant B.V.")
    await h.create(
        admin.actor, "link", from_relation_id=client, to_relation_id=notary, type="NOTARY"
    )

    notary_versions = await _versions(api, admin.token, notary)
    client_versions = await _versions(api, admin.token, client)

    assert [(v["entity"], v["op"]) for v in notary_versions] == [
        ("link", "create"),
        ("relation", "create"),
    ]
    assert client_versions[0]["entity"] == "link"
    assert await Version.filter(entity="link").count() == 1


async def test_first_limits_the_list_and_as_of_hides_later_writes(api):
    admin = await make_employee("ADMIN")
    bakery = await h.make_relation(admin.actor, "Bakkerij Limiet B.V.")
    for street in ("Een", "Twee", "Drie"):
        await h.add_address(admin.actor, bakery, street)
    moment = await h.moment_between()
    await h.add_address(admin.actor, bakery, "Vier")

    two = await _versions(api, admin.token, bakery, first=2)
    then = await _versions(api, admin.token, bakery, as_of=moment)
    none = await _versions(api, admin.token, bakery, first=0)

    assert [v["changes"]["street"][1] for v in two] == ["Vier", "Drie"]
    assert [v["changes"].get("street", [None, None])[1] for v in then] == [
        "Drie",
        "Twee",
        "Een",
        None,
    ]
    assert none == []


async def test_a_bsn_change_shows_that_it_changed_but_never_the_number(api):
    admin = await make_employee("ADMIN")
    person = await h.make_relation(admin.actor, "J. Jansen", last_name="Jansen")
    await h.update(
        admin.actor,
        "relation",
        person,
        bsn_encrypted=secretbox.encrypt("111222333"),
        bsn_last_digits="333",
    )

    [latest, _] = await _versions(api, admin.token, person)

    assert latest["changes"]["bsn_encrypted"] == [None, "[hidden]"]
    assert "111222333" not in str(latest)
