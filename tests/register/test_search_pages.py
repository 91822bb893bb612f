"""relations(): a stable order, opaque cursors, totalCount and the page size cap."""

from __future__ import annotations

from server.services import relations
from tests.factories import make_employee
from tests.register.helpers import SEARCH
from tests.sql_log import logged_statements

NAMES = ["de Vries", "Bakker", "Visser", "van Dijk", "Smit", "Bakker", "Mulder", "Bos"]


async def make_people(admin, names=NAMES) -> None:
    for name in names:
        prefix, _, last = name.rpartition(" ")
        person = {"lastName": last, "prefix": prefix or None, "initials": "A."}
        await relations.create_relation(admin.actor, {"partyType": "PERSON", "person": person})


async def walk(api, token, search, size, filters=None) -> tuple[list[dict], set[int]]:
    """All pages one after another: the edges and every totalCount seen."""
    edges, totals, after = [], set(), None
    while True:
        variables = {"s": search, "n": size, "a": after, "f": filters}
        page = (await api.gql(SEARCH, variables, token=token))["relations"]
        edges.extend(page["edges"])
        totals.add(page["totalCount"])
        if not page["pageInfo"]["hasNextPage"]:
            assert page["pageInfo"]["endCursor"] == (
                page["edges"][-1]["cursor"] if page["edges"] else None
            )
            return edges, totals
        after = page["pageInfo"]["endCursor"]


async def test_pages_follow_each_other_without_duplicates_or_gaps_in_last_name_order(api):
    admin = await make_employee("ADMIN")
    await make_people(admin)
    for search in (None, "a"):  # the listing and the token search page alike
        edges, totals = await walk(api, admin.token, search, 3)
        names = [e["node"]["displayName"] for e in edges]
        assert names == ["A. Bakker", "A. Bakker", "A. Bos", "A. van Dijk", "A. Mulder",
                         "A. Smit", "A. Visser", "A. de Vries"]  # fmt: skip
        assert len({e["node"]["id"] for e in edges}) == 8
        assert totals == {8}


async def test_a_cursor_stays_valid_when_relations_are_added_before_it(api):
    admin = await make_employee("ADMIN")
    await make_people(admin)
    first = (await api.gql(SEARCH, {"n": 4}, token=admin.token))["relations"]
    await make_people(admin, ["Aalders"])
    rest = await api.gql(SEARCH, {"n": 10, "a": first["pageInfo"]["endCursor"]}, token=admin.token)
    assert [e["node"]["displayName"] for e in rest["relations"]["edges"]] == [
        "A. Mulder", "A. Smit", "A. Visser", "A. de Vries"
    ]  # fmt: skip
    assert rest["relations"]["totalCount"] == 9


async def test_the_page_size_is_clamped_to_one_hundred(api):
    admin = await make_employee("ADMIN")
    await make_people(admin, [f"Jansen{n:03d}" for n in range(101)])
    for search in (None, "jansen"):
        page = (await api.gql(SEARCH, {"s": search, "n": 500}, token=admin.token))["relations"]
        assert (len(page["edges"]), page["totalCount"]) == (100, 101)
        assert page["pageInfo"]["hasNextPage"] is True


async def test_zero_gives_only_the_count_and_a_bad_cursor_or_negative_size_is_refused(api):
    admin = await make_employee("ADMIN")
    await make_people(admin)
    page = (await api.gql(SEARCH, {"n": 0}, token=admin.token))["relations"]
    assert (page["edges"], page["totalCount"], page["pageInfo"]["hasNextPage"]) == ([], 8, True)
    for variables in ({"a": "not-a-cursor"}, {"a": "WyJ4IiwieSJd"}, {"n": -1}):
        response = await api.post(SEARCH, variables, token=admin.token)
        body = response.json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "INVALID"


async def test_reading_the_register_needs_a_signed_in_employee(api):
    response = await api.post(SEARCH, {})
    assert response.status_code == 401


async def test_the_total_is_only_counted_when_asked_for(api):
    admin = await make_employee("ADMIN")
    await make_people(admin)
    page_only = "query($s: String) { relations(search: $s, first: 2) { edges { node { id } } } }"
    with_total = "query($s: String) { relations(search: $s, first: 2) { totalCount } }"
    for search in (None, "bakker"):
        with logged_statements() as counter:
            page = await api.gql(page_only, {"s": search}, token=admin.token)
        assert len(page["relations"]["edges"]) == 2
        assert not [s for s in counter.statements if "count(" in s.lower()]
        with logged_statements() as counter:
            total = await api.gql(with_total, {"s": search}, token=admin.token)
        assert total["relations"]["totalCount"] == (8 if search is None else 2)
        assert [s for s in counter.statements if "count(" in s.lower()]
