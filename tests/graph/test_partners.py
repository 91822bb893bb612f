"""Partners: symmetric, one current per person, ended with a date, persons only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from server.models import Partnership, Version
from server.services.graph import office_date
from tests.factories import make_employee
from tests.graph.helpers import (
    END_PARTNERSHIP,
    SET_PARTNERSHIP,
    events_of,
    graph_counts,
    make_person,
    make_relation,
)

CARD = """query($id: ID!) { relation(id: $id) {
  partnership { id type fiscalPartner since until partner { id displayName } } } }"""
CARD_AS_OF = CARD.replace("($id: ID!)", "($id: ID!, $at: DateTime)").replace(
    "relation(id: $id)", "relation(id: $id, asOf: $at)"
)


async def _set(api, token, person, partner, type="MARRIED", fiscal=True, since="2015-06-12"):
    variables = {"p": person, "q": partner, "t": type, "f": fiscal, "s": since}
    return (await api.gql(SET_PARTNERSHIP, variables, token))["setPartnership"]


async def _card(api, token, relation_id):
    return (await api.gql(CARD, {"id": relation_id}, token))["relation"]["partnership"]


async def test_partners_see_each_other_on_both_cards(api):
    staff = await make_employee("EMPLOYEE")
    jan = await make_person("Jan Jansen")
    els = await make_person("Els de Boer")

    result = await _set(api, staff.token, jan, els)

    assert result["errors"] == []
    assert result["partnership"]["partner"] == {"id": els, "displayName": "Els de Boer"}
    on_jan = await _card(api, staff.token, jan)
    on_els = await _card(api, staff.token, els)
    assert on_jan["partner"]["id"] == els
    assert on_els["partner"]["id"] == jan
    assert on_jan["id"] == on_els["id"] == result["partnership"]["id"]
    assert on_els["type"] == "MARRIED"
    assert on_els["fiscalPartner"] is True
    assert on_els["since"] == "2015-06-12"
    assert on_els["until"] is None


async def test_setting_a_partnership_records_history_and_tells_both_relations(api):
    staff = await make_employee("EMPLOYEE")
    jan = await make_person("Jan Jansen")
    els = await make_person("Els de Boer")

    pid = (await _set(api, staff.token, jan, els))["partnership"]["id"]

    versions = await Version.filter(entity="partnership").values(
        "entity_id", "op", "relation_id", "other_relation_id", "actor_id"
    )
    assert versions == [
        {
            "entity_id": pid,
            "op": "create",
            "relation_id": uuid.UUID(jan),
            "other_relation_id": uuid.UUID(els),
            "actor_id": uuid.UUID(staff.id),
        }
    ]
    events = await events_of("partnership.set")
    assert sorted(rid for rid, _ in events) == sorted([jan, els])
    payload = events[0][1]
    assert payload["entity"] == "partnership"
    assert payload["id"] == pid
    assert payload["changes"]["type"] == [None, "MARRIED"]
    assert payload["data"]["person_b_id"] == els


async def test_a_second_current_partner_is_a_conflict_and_changes_nothing(api):
    staff = await make_employee("EMPLOYEE")
    jan = await make_person("Jan Jansen")
    els = await make_person("Els de Boer")
    piet = await make_person("Piet Pieters")
    await _set(api, staff.token, jan, els)
    before = await graph_counts()

    as_person = await _set(api, staff.token, jan, piet)
    as_partner = await _set(api, staff.token, piet, els)

    assert as_person["partnership"] is None
    assert [(e["field"], e["code"]) for e in as_person["errors"]] == [(["personId"], "CONFLICT")]
    assert [(e["field"], e["code"]) for e in as_partner["errors"]] == [(["partnerId"], "CONFLICT")]
    assert await graph_counts() == before
    assert (await _card(api, staff.token, piet)) is None


async def test_ending_keeps_the_history_and_frees_both_persons(api):
    staff = await make_employee("EMPLOYEE")
    jan = await make_person("Jan Jansen")
    els = await make_person("Els de Boer")
    piet = await make_person("Piet Pieters")
    pid = (await _set(api, staff.token, jan, els))["partnership"]["id"]

    ended = (await api.gql(END_PARTNERSHIP, {"p": els}, staff.token))["endPartnership"]

    assert ended == {"deletedId": pid, "errors": []}
    assert await _card(api, staff.token, jan) is None
    assert await _card(api, staff.token, els) is None
    row = await Partnership.get(id=pid)
    assert row.until == office_date()
    assert [rid for rid, _ in await events_of("partnership.ended")] == [jan, els]
    again = await _set(api, staff.token, jan, piet, type="COHABITING", fiscal=False, since=None)
    assert again["errors"] == []
    assert (await _card(api, staff.token, piet))["partner"]["id"] == jan
    assert await Partnership.all().count() == 2


async def test_ending_without_a_current_partner_is_not_found(api):
    staff = await make_employee("EMPLOYEE")
    jan = await make_person("Jan Jansen")
    before = await graph_counts()

    result = (await api.gql(END_PARTNERSHIP, {"p": jan}, staff.token))["endPartnership"]

    assert result["deletedId"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(["personId"], "NOT_FOUND")]
    assert await graph_counts() == before


async def test_organisations_self_links_and_unknown_relations_are_refused(api):
    staff = await make_employee("EMPLOYEE")
    jan = await make_person("Jan Jansen")
    bv = await make_relation("Jansen Holding BV")
    before = await graph_counts()

    with_bv = await _set(api, staff.token, jan, bv)
    bv_first = await _set(api, staff.token, bv, jan)
    with_self = await _set(api, staff.token, jan, jan)
    unknown = await _set(api, staff.token, jan, str(uuid.uuid4()))

    assert [(e["field"], e["code"]) for e in with_bv["errors"]] == [(["partnerId"], "INVALID")]
    assert [(e["field"], e["code"]) for e in bv_first["errors"]] == [(["personId"], "INVALID")]
    assert [(e["field"], e["code"]) for e in with_self["errors"]] == [(["partnerId"], "INVALID")]
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [(["partnerId"], "NOT_FOUND")]
    assert await graph_counts() == before


async def test_setting_the_same_pair_again_updates_their_partnership(api):
    staff = await make_employee("EMPLOYEE")
    jan = await make_person("Jan Jansen")
    els = await make_person("Els de Boer")
    first = await _set(api, staff.token, jan, els, type="COHABITING", fiscal=False)

    second = await _set(api, staff.token, els, jan, type="MARRIED", fiscal=True, since=None)

    assert second["errors"] == []
    assert second["partnership"]["id"] == first["partnership"]["id"]
    assert second["partnership"]["partner"]["id"] == jan
    assert second["partnership"]["since"] == "2015-06-12"
    card = await _card(api, staff.token, jan)
    assert (card["type"], card["fiscalPartner"]) == ("MARRIED", True)
    ops = await Version.filter(entity="partnership").order_by("at").values_list("op", flat=True)
    assert ops == ["create", "update"]


async def test_a_back_dated_fiscal_partnership_may_not_overlap_an_earlier_fiscal_one(api):
    staff = await make_employee("EMPLOYEE")
    jan = await make_person("Jan Jansen")
    els = await make_person("Els de Boer")
    piet = await make_person("Piet Pieters")
    await _set(api, staff.token, jan, els, fiscal=True, since="2010-01-01")
    await api.gql(END_PARTNERSHIP, {"p": jan}, staff.token)
    before = await graph_counts()

    overlapping = await _set(api, staff.token, jan, piet, fiscal=True, since="2020-01-01")
    not_fiscal = await _set(api, staff.token, jan, piet, fiscal=False, since="2020-01-01")

    assert [(e["field"], e["code"]) for e in overlapping["errors"]] == [
        (["fiscalPartner"], "CONFLICT")
    ]
    assert not_fiscal["errors"] == []
    assert (await graph_counts())["partnership"] == before["partnership"] + 1


async def test_the_card_as_it_was_shows_the_partner_of_that_moment(api):
    staff = await make_employee("EMPLOYEE")
    jan = await make_person("Jan Jansen")
    els = await make_person("Els de Boer")
    await _set(api, staff.token, jan, els)
    moment = datetime.now(UTC).isoformat()
    await api.gql(END_PARTNERSHIP, {"p": jan}, staff.token)

    then = await api.gql(CARD_AS_OF, {"id": els, "at": moment}, staff.token)

    assert then["relation"]["partnership"]["partner"]["id"] == jan
    assert then["relation"]["partnership"]["until"] is None
    assert await _card(api, staff.token, els) is None
