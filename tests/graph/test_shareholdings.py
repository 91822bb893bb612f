"""Holdings: who holds whom, and the refusals (cycles, over 100%, bad percentages, fiscal unity)."""

from __future__ import annotations

import uuid

from server.models import Shareholding, Version
from tests.factories import make_employee
from tests.graph.helpers import (
    ADD_HOLDING,
    END_HOLDING,
    events_of,
    graph_counts,
    make_person,
    make_relation,
)

CARD = """query($id: ID!) { relation(id: $id) {
  shareholders { percentage since holder { displayName } }
  participations { percentage subsidiary { displayName } } } }"""


async def _add(api, token, holder, subsidiary, percentage, since=None, vpb=None, btw=None):
    variables = {"h": holder, "s": subsidiary, "p": percentage, "d": since, "v": vpb, "b": btw}
    return (await api.gql(ADD_HOLDING, variables, token))["addShareholding"]


def _errors(result):
    return [(e["field"], e["code"]) for e in result["errors"]]


async def test_a_dga_holds_a_holding_that_holds_a_company(api):
    staff = await make_employee("EMPLOYEE")
    dga = await make_person("Jan Jansen")
    holding = await make_relation("Jansen Holding BV")
    bakery = await make_relation("Bakkerij Jansen BV")

    first = await _add(api, staff.token, dga, holding, "100", "2012-01-01")
    await _add(api, staff.token, holding, bakery, "62.5", vpb=False, btw=True)

    assert first["errors"] == []
    assert first["shareholding"]["percentage"] == "100"
    assert first["shareholding"]["holder"]["id"] == dga
    assert first["shareholding"]["depth"] == 0
    card = (await api.gql(CARD, {"id": holding}, staff.token))["relation"]
    assert card["shareholders"] == [
        {"percentage": "100", "since": "2012-01-01", "holder": {"displayName": "Jan Jansen"}}
    ]
    assert card["participations"] == [
        {"percentage": "62.5", "subsidiary": {"displayName": "Bakkerij Jansen BV"}}
    ]


async def test_adding_tells_both_relations_and_records_history(api):
    staff = await make_employee("EMPLOYEE")
    holding = await make_relation("Jansen Holding BV")
    bakery = await make_relation("Bakkerij Jansen BV")

    sid = (await _add(api, staff.token, holding, bakery, "100"))["shareholding"]["id"]

    versions = await Version.filter(entity="shareholding").values(
        "entity_id", "op", "relation_id", "other_relation_id"
    )
    assert versions == [
        {
            "entity_id": sid,
            "op": "create",
            "relation_id": uuid.UUID(holding),
            "other_relation_id": uuid.UUID(bakery),
        }
    ]
    events = await events_of("shareholding.added")
    assert sorted(rid for rid, _ in events) == sorted([holding, bakery])
    assert events[0][1]["changes"]["percentage"] == [None, "100.0000"]


async def test_a_cycle_three_levels_down_is_refused(api):
    staff = await make_employee("EMPLOYEE")
    a, b, c, d = [await make_relation(f"Schakel {n} BV") for n in "ABCD"]
    for holder, subsidiary in ((a, b), (b, c), (c, d)):
        await _add(api, staff.token, holder, subsidiary, "100")
    before = await graph_counts()

    closing = await _add(api, staff.token, d, a, "10")
    direct = await _add(api, staff.token, b, a, "10")
    own = await _add(api, staff.token, c, c, "10")

    assert closing["shareholding"] is None
    assert _errors(closing) == [(["subsidiaryId"], "CYCLE")]
    assert _errors(direct) == [(["subsidiaryId"], "CYCLE")]
    assert _errors(own) == [(["subsidiaryId"], "CYCLE")]
    assert await graph_counts() == before


async def test_an_ended_holding_no_longer_makes_a_cycle(api):
    staff = await make_employee("EMPLOYEE")
    a = await make_relation("Oude Moeder BV")
    b = await make_relation("Oude Dochter BV")
    old = (await _add(api, staff.token, a, b, "100", "2010-01-01"))["shareholding"]["id"]
    await api.gql(END_HOLDING, {"id": old, "u": "2020-01-01"}, staff.token)

    reversed_later = await _add(api, staff.token, b, a, "100", "2021-01-01")

    assert reversed_later["errors"] == []


async def test_more_than_100_percent_held_at_one_time_is_refused(api):
    staff = await make_employee("EMPLOYEE")
    company = await make_relation("Gedeelde Werkmaatschappij BV")
    first, second, third = [await make_person(f"Aandeelhouder {n}") for n in "XYZ"]
    sixty = (await _add(api, staff.token, first, company, "60", "2015-01-01"))["shareholding"]
    await _add(api, staff.token, second, company, "30", "2015-01-01")
    before = await graph_counts()

    too_much = await _add(api, staff.token, third, company, "10.0001", "2016-01-01")
    exactly = await _add(api, staff.token, third, company, "10", "2016-01-01")
    await api.gql(END_HOLDING, {"id": sixty["id"], "u": "2024-01-01"}, staff.token)
    after_end = await _add(api, staff.token, first, company, "60", "2024-01-01")
    overlapping = await _add(api, staff.token, first, company, "1", "2023-06-01")

    assert _errors(too_much) == [(["percentage"], "LIMIT")]
    assert exactly["errors"] == []
    assert after_end["errors"] == []
    assert _errors(overlapping) == [(["holderId"], "CONFLICT")]
    counts = await graph_counts()
    assert counts["shareholding"] == before["shareholding"] + 2


async def test_percentages_outside_zero_to_hundred_are_invalid(api):
    staff = await make_employee("EMPLOYEE")
    holder = await make_relation("Houder BV")
    company = await make_relation("Dochter BV")
    before = await graph_counts()

    results = [
        await _add(api, staff.token, holder, company, value)
        for value in ("0", "-5", "100.01", "12.34567")
    ]

    assert [_errors(r) for r in results] == [[(["percentage"], "INVALID")]] * 4
    assert await graph_counts() == before


async def test_fiscal_unity_needs_95_percent_for_corporate_tax_and_50_for_vat(api):
    staff = await make_employee("EMPLOYEE")
    holder = await make_relation("Moeder BV")
    subs = [await make_relation(f"Dochter {n} BV") for n in range(4)]
    before = await graph_counts()

    low_vpb = await _add(api, staff.token, holder, subs[0], "94.9999", vpb=True)
    low_both = await _add(api, staff.token, holder, subs[0], "49.99", vpb=True, btw=True)

    assert _errors(low_vpb) == [(["fiscalUnityCorporateTax"], "INVALID")]
    assert _errors(low_both) == [
        (["fiscalUnityCorporateTax"], "INVALID"),
        (["fiscalUnityVat"], "INVALID"),
    ]
    assert await graph_counts() == before
    vpb = await _add(api, staff.token, holder, subs[1], "95", vpb=True, btw=True)
    btw = await _add(api, staff.token, holder, subs[2], "50", btw=True)
    assert (vpb["errors"], btw["errors"]) == ([], [])
    assert vpb["shareholding"]["fiscalUnityCorporateTax"] is True
    assert btw["shareholding"]["fiscalUnityVat"] is True


async def test_only_an_organisation_has_shareholders(api):
    staff = await make_employee("EMPLOYEE")
    holding = await make_relation("Houder BV")
    person = await make_person("Jan Jansen")
    before = await graph_counts()

    result = await _add(api, staff.token, holding, person, "50")
    unknown = await _add(api, staff.token, str(uuid.uuid4()), holding, "50")

    assert _errors(result) == [(["subsidiaryId"], "INVALID")]
    assert _errors(unknown) == [(["holderId"], "NOT_FOUND")]
    assert await graph_counts() == before


async def test_ending_a_holding_keeps_it_with_its_end_date(api):
    staff = await make_employee("EMPLOYEE")
    holding = await make_relation("Jansen Holding BV")
    bakery = await make_relation("Bakkerij Jansen BV")
    sid = (await _add(api, staff.token, holding, bakery, "100", "2012-01-01"))["shareholding"]["id"]

    ended = await api.gql(END_HOLDING, {"id": sid, "u": "2024-12-31"}, staff.token)

    assert ended["endShareholding"] == {
        "shareholding": {
            "id": sid,
            "percentage": "100",
            "since": "2012-01-01",
            "until": "2024-12-31",
        },
        "errors": [],
    }
    assert (await Shareholding.get(id=sid)).until.isoformat() == "2024-12-31"
    card = (await api.gql(CARD, {"id": bakery}, staff.token))["relation"]
    assert card["shareholders"] == []
    events = await events_of("shareholding.ended")
    assert sorted(rid for rid, _ in events) == sorted([holding, bakery])
    assert events[0][1]["changes"] == {"until": [None, "2024-12-31"]}


async def test_ending_twice_before_the_start_or_an_unknown_holding_is_refused(api):
    staff = await make_employee("EMPLOYEE")
    holding = await make_relation("Jansen Holding BV")
    bakery = await make_relation("Bakkerij Jansen BV")
    sid = (await _add(api, staff.token, holding, bakery, "100", "2012-01-01"))["shareholding"]["id"]
    before = await graph_counts()

    early = await api.gql(END_HOLDING, {"id": sid, "u": "2011-12-31"}, staff.token)
    unknown = await api.gql(END_HOLDING, {"id": str(uuid.uuid4()), "u": "2020-01-01"}, staff.token)
    assert await graph_counts() == before
    await api.gql(END_HOLDING, {"id": sid, "u": "2020-01-01"}, staff.token)
    twice = await api.gql(END_HOLDING, {"id": sid, "u": "2021-01-01"}, staff.token)

    assert _errors(early["endShareholding"]) == [(["until"], "INVALID")]
    assert _errors(unknown["endShareholding"]) == [(["id"], "NOT_FOUND")]
    assert _errors(twice["endShareholding"]) == [(["id"], "CONFLICT")]
    assert (await Shareholding.get(id=sid)).until.isoformat() == "2020-01-01"
