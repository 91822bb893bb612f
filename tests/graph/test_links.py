"""The client's own relations: typed links, both directions, with the contact at the other side."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from server.models import RelationLink, Version
from tests.factories import make_employee
from tests.graph.helpers import (
    LINK,
    UNLINK,
    events_of,
    graph_counts,
    make_contact,
    make_person,
    make_relation,
)

LINKS = """query($id: ID!, $types: [RelationLinkType!]) { relation(id: $id) {
  links(types: $types) { type note from { id } to { id displayName } contact { displayName } }
  linkedFrom(types: $types) { type from { id displayName } } } }"""
LINKS_AS_OF = LINKS.replace(
    "($id: ID!, $types: [RelationLinkType!])",
    "($id: ID!, $types: [RelationLinkType!], $at: DateTime)",
).replace("relation(id: $id)", "relation(id: $id, asOf: $at)")


async def _link(api, token, source, target, type, contact=None, note=None, since=None):
    variables = {"f": source, "t": target, "y": type, "c": contact, "n": note, "s": since}
    return (await api.gql(LINK, variables, token))["linkRelation"]


async def _links(api, token, relation_id, types=None):
    return (await api.gql(LINKS, {"id": relation_id, "types": types}, token))["relation"]


async def test_a_client_links_its_notary_bank_and_tax_office_with_the_contact_there(api):
    staff = await make_employee("EMPLOYEE")
    client = await make_relation("Bakkerij Smit BV")
    bank = await make_relation("Rabobank Utrecht")
    notary = await make_relation("Notariskantoor Van Dam")
    tax = await make_relation("Belastingdienst Utrecht")
    manager = await make_contact(bank, "Visser")

    result = await _link(
        api, staff.token, client, bank, "BANK", manager, " Zakelijk ", "2019-03-01"
    )
    await _link(api, staff.token, client, notary, "NOTARY")
    await _link(api, staff.token, client, tax, "TAX_OFFICE")

    assert result["errors"] == []
    assert result["link"]["contact"] == {"id": manager, "displayName": "Visser"}
    assert (result["link"]["note"], result["link"]["since"]) == ("Zakelijk", "2019-03-01")
    card = await _links(api, staff.token, client)
    assert [(link["type"], link["to"]["displayName"]) for link in card["links"]] == [
        ("TAX_OFFICE", "Belastingdienst Utrecht"),
        ("NOTARY", "Notariskantoor Van Dam"),
        ("BANK", "Rabobank Utrecht"),
    ]
    assert card["links"][2]["contact"] == {"displayName": "Visser"}
    assert card["linkedFrom"] == []


async def test_types_filter_both_directions(api):
    staff = await make_employee("EMPLOYEE")
    notary = await make_relation("Notariskantoor Van Dam")
    bank = await make_relation("ING Zakelijk")
    smit = await make_relation("Bakkerij Smit BV")
    jan = await make_person("Jan Jansen")
    for client in (smit, jan):
        await _link(api, staff.token, client, notary, "NOTARY")
    await _link(api, staff.token, smit, bank, "BANK")
    await _link(api, staff.token, bank, notary, "OTHER")

    of_notary = await _links(api, staff.token, notary, ["NOTARY"])
    of_smit = await _links(api, staff.token, smit, ["BANK", "INSURER"])
    everything = await _links(api, staff.token, notary)

    assert sorted(link["from"]["id"] for link in of_notary["linkedFrom"]) == sorted([smit, jan])
    assert [link["to"]["displayName"] for link in of_smit["links"]] == ["ING Zakelijk"]
    assert sorted(link["type"] for link in everything["linkedFrom"]) == [
        "NOTARY",
        "NOTARY",
        "OTHER",
    ]


async def test_the_contact_must_belong_to_the_linked_relation(api):
    staff = await make_employee("EMPLOYEE")
    client = await make_relation("Bakkerij Smit BV")
    bank = await make_relation("Rabobank Utrecht")
    own_contact = await make_contact(client, "Smit")
    before = await graph_counts()

    foreign = await _link(api, staff.token, client, bank, "BANK", own_contact)
    unknown = await _link(api, staff.token, client, bank, "BANK", str(uuid.uuid4()))

    assert foreign["link"] is None
    assert [(e["field"], e["code"]) for e in foreign["errors"]] == [(["contactId"], "INVALID")]
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [(["contactId"], "NOT_FOUND")]
    assert await graph_counts() == before


async def test_self_links_duplicates_and_unknown_relations_are_refused(api):
    staff = await make_employee("EMPLOYEE")
    client = await make_relation("Bakkerij Smit BV")
    bank = await make_relation("Rabobank Utrecht")
    await _link(api, staff.token, client, bank, "BANK")
    before = await graph_counts()

    to_self = await _link(api, staff.token, client, client, "OTHER")
    twice = await _link(api, staff.token, client, bank, "BANK")
    unknown = await _link(api, staff.token, str(uuid.uuid4()), bank, "BANK")

    assert [(e["field"], e["code"]) for e in to_self["errors"]] == [(["toId"], "INVALID")]
    assert [(e["field"], e["code"]) for e in twice["errors"]] == [(["toId"], "CONFLICT")]
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [(["fromId"], "NOT_FOUND")]
    assert await graph_counts() == before


async def test_linking_and_unlinking_tell_both_relations_and_keep_the_history(api):
    staff = await make_employee("EMPLOYEE")
    client = await make_relation("Bakkerij Smit BV")
    bank = await make_relation("Rabobank Utrecht")
    lid = (await _link(api, staff.token, client, bank, "BANK"))["link"]["id"]

    removed = (await api.gql(UNLINK, {"id": lid}, staff.token))["unlinkRelation"]
    again = (await api.gql(UNLINK, {"id": lid}, staff.token))["unlinkRelation"]

    assert removed == {"deletedId": lid, "errors": []}
    assert [(e["field"], e["code"]) for e in again["errors"]] == [(["id"], "NOT_FOUND")]
    assert await RelationLink.all().count() == 0
    assert (await _links(api, staff.token, client))["links"] == []
    ops = await Version.filter(entity="link").order_by("at").values_list("op", flat=True)
    assert ops == ["create", "delete"]
    assert sorted(rid for rid, _ in await events_of("link.added")) == sorted([client, bank])
    removed_events = await events_of("link.removed")
    assert sorted(rid for rid, _ in removed_events) == sorted([client, bank])
    assert removed_events[0][1]["data"] is None
    assert removed_events[0][1]["changes"]["type"] == ["BANK", None]


async def test_the_card_as_it_was_shows_a_link_removed_since(api):
    staff = await make_employee("EMPLOYEE")
    client = await make_relation("Bakkerij Smit BV")
    bank = await make_relation("Rabobank Utrecht")
    lid = (await _link(api, staff.token, client, bank, "BANK"))["link"]["id"]
    moment = datetime.now(UTC).isoformat()
    await api.gql(UNLINK, {"id": lid}, staff.token)

    then = await api.gql(LINKS_AS_OF, {"id": bank, "at": moment}, staff.token)

    assert then["relation"]["linkedFrom"] == [
        {"type": "BANK", "from": {"id": client, "displayName": "Bakkerij Smit BV"}}
    ]
