"""The group of a relation: from the ultimate parents down, with depth, in ONE SQL statement."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import make_employee
from tests.graph.helpers import (
    ADD_HOLDING,
    END_HOLDING,
    GROUP,
    make_group_rows,
    make_person,
    make_relation,
)
from tests.sql_log import logged_statements


async def _hold(api, token, holder, subsidiary, percentage="100"):
    variables = {"h": holder, "s": subsidiary, "p": percentage}
    result = (await api.gql(ADD_HOLDING, variables, token))["addShareholding"]
    assert result["errors"] == []
    return result["shareholding"]["id"]


async def _group(api, token, relation_id, as_of=None):
    if as_of is None:
        data = await api.gql(GROUP, {"id": relation_id}, token)
    else:
        query = GROUP.replace("($id: ID!)", "($id: ID!, $at: DateTime)").replace(
            "relation(id: $id)", "relation(id: $id, asOf: $at)"
        )
        data = await api.gql(query, {"id": relation_id, "at": as_of}, token)
    return [
        (edge["depth"], edge["holder"]["displayName"], edge["subsidiary"]["displayName"])
        for edge in data["relation"]["group"]
    ]


async def _three_level_group(api, token):
    names = ["Jan Jansen", "Jansen Holding BV", "Werk A BV", "Werk B BV", "Werk A1 BV"]
    dga = await make_person(names[0])
    holding, werk_a, werk_b, werk_a1 = [await make_relation(n) for n in names[1:]]
    partner = await make_person("Piet Pieters")
    await _hold(api, token, dga, holding)
    await _hold(api, token, holding, werk_a)
    await _hold(api, token, holding, werk_b, "60")
    await _hold(api, token, partner, werk_b, "40")
    await _hold(api, token, werk_a, werk_a1)
    return dga, holding, werk_a, werk_b, werk_a1


async def test_the_group_runs_from_the_ultimate_parent_down_with_depth(api):
    staff = await make_employee("EMPLOYEE")
    dga, holding, werk_a, _, werk_a1 = await _three_level_group(api, staff.token)

    expected = [
        (0, "Jan Jansen", "Jansen Holding BV"),
        (1, "Jansen Holding BV", "Werk A BV"),
        (1, "Jansen Holding BV", "Werk B BV"),
        (2, "Werk A BV", "Werk A1 BV"),
    ]
    for member in (dga, holding, werk_a, werk_a1):
        assert await _group(api, staff.token, member) == expected


async def test_a_company_with_two_ultimate_parents_shows_both_lines(api):
    staff = await make_employee("EMPLOYEE")
    _, _, _, werk_b, _ = await _three_level_group(api, staff.token)

    assert await _group(api, staff.token, werk_b) == [
        (0, "Jan Jansen", "Jansen Holding BV"),
        (0, "Piet Pieters", "Werk B BV"),
        (1, "Jansen Holding BV", "Werk A BV"),
        (1, "Jansen Holding BV", "Werk B BV"),
        (2, "Werk A BV", "Werk A1 BV"),
    ]


async def test_ended_holdings_leave_the_group_and_a_loose_relation_has_none(api):
    staff = await make_employee("EMPLOYEE")
    parent = await make_relation("Moeder BV")
    child = await make_relation("Dochter BV")
    loose = await make_relation("Los Bedrijf BV")
    sid = await _hold(api, staff.token, parent, child)
    assert await _group(api, staff.token, child) == [(0, "Moeder BV", "Dochter BV")]
    before_end = datetime.now(UTC).isoformat()

    await api.gql(END_HOLDING, {"id": sid, "u": "2000-01-01"}, staff.token)

    assert await _group(api, staff.token, child) == []
    assert await _group(api, staff.token, loose) == []
    assert await _group(api, staff.token, child, before_end) == [(0, "Moeder BV", "Dochter BV")]


async def test_the_group_as_it_was_follows_the_history(api):
    staff = await make_employee("EMPLOYEE")
    *_, werk_a1 = await _three_level_group(api, staff.token)
    moment = datetime.now(UTC).isoformat()
    late = await make_relation("Later Erbij BV")
    await _hold(api, staff.token, werk_a1, late)

    assert await _group(api, staff.token, werk_a1, moment) == [
        (0, "Jan Jansen", "Jansen Holding BV"),
        (1, "Jansen Holding BV", "Werk A BV"),
        (1, "Jansen Holding BV", "Werk B BV"),
        (2, "Werk A BV", "Werk A1 BV"),
    ]
    assert (await _group(api, staff.token, werk_a1))[-1] == (3, "Werk A1 BV", "Later Erbij BV")


async def _statements_for_group(api, token, relation_id):
    with logged_statements() as counter:
        data = await api.gql(GROUP, {"id": relation_id}, token)
    # The card cache's dependency query walks the group too; the group itself is one more.
    recursive = [s for s in counter.statements if "WITH RECURSIVE" in s and " AS dep " not in s]
    assert len(recursive) == 1
    return len(counter.statements), data["relation"]["group"]


async def test_the_number_of_sql_statements_does_not_grow_with_the_group(api):
    staff = await make_employee("EMPLOYEE")
    small_top, small = await make_group_rows(levels=2, width=3)
    large_top, large = await make_group_rows(levels=10, width=500)

    small_count, small_group = await _statements_for_group(api, staff.token, small[-1])
    large_count, large_group = await _statements_for_group(api, staff.token, large[-1])

    assert len(small_group) == 5
    assert len(large_group) == 510
    assert max(edge["depth"] for edge in large_group) == 10
    assert large_group[0]["holder"]["id"] == large_top
    assert small_group[0]["holder"]["id"] == small_top
    assert large_count == small_count
    # The sign-in check, the card cache's dependencies and their stamps, the relation, the
    # group, and its relations in one batch.
    assert small_count == 6
