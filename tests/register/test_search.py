"""relations(search:): names without case or diacritics, numbers, contacts, postcodes; several
words narrow; tokens follow every write."""

from __future__ import annotations

from server.models import RelationSearchToken
from server.services import contacts, relations, search_index
from tests.factories import make_employee
from tests.register.helpers import BAKKERIJ, JANSEN, SEARCH, UPDATE

COOPERATIE = {
    "partyType": "ORGANISATION",
    "legalForm": "COOPERATIE",
    "organisation": {"legalName": "Coöperatie De Eendracht U.A.", "kvkNumber": "87654321"},
    "addresses": [{"type": "VISITING", "street": "Dijk", "houseNumber": "3",
                   "postalCode": "8911 AA", "city": "Leeuwarden"}],
}  # fmt: skip
OZTURK = {
    "partyType": "PERSON",
    "person": {"givenName": "Zoë", "lastName": "Öztürk"},
    "addresses": [{"type": "VISITING", "street": "Kade", "houseNumber": "9",
                   "postalCode": "3511 CD", "city": "Utrecht"}],
}  # fmt: skip
BERG_BV = {
    "partyType": "ORGANISATION",
    "legalForm": "BV",
    "organisation": {"legalName": "Van den Berg Transport B.V."},
}


async def office(admin) -> dict[str, str]:
    """Five relations (numbers 10001 ...); returns short name -> id."""
    names = ("jansen", "bakkerij", "coop", "ozturk", "berg")
    data = (JANSEN, BAKKERIJ, COOPERATIE, OZTURK, BERG_BV)
    return {
        name: await relations.create_relation(admin.actor, d)
        for name, d in zip(names, data, strict=True)
    }


async def found(api, token, text, **variables) -> list[str]:
    data = await api.gql(SEARCH, {"s": text, **variables}, token=token)
    return sorted(edge["node"]["id"] for edge in data["relations"]["edges"])


async def test_names_are_found_whatever_the_case_or_diacritics(api):
    admin = await make_employee("ADMIN")
    ids = await office(admin)
    assert await found(api, admin.token, "cooperatie") == [ids["coop"]]
    assert await found(api, admin.token, "COÖPERATIE eendr") == [ids["coop"]]
    assert await found(api, admin.token, "ozturk") == [ids["ozturk"]]
    assert await found(api, admin.token, "ZOE") == [ids["ozturk"]]
    assert await found(api, admin.token, "korenschoof") == [ids["bakkerij"]]
    assert await found(api, admin.token, "brood") == [ids["bakkerij"]]  # a trade name


async def test_several_words_narrow_the_result(api):
    admin = await make_employee("ADMIN")
    ids = await office(admin)
    assert await found(api, admin.token, "berg") == sorted([ids["jansen"], ids["berg"]])
    assert await found(api, admin.token, "berg transport") == [ids["berg"]]
    assert await found(api, admin.token, "van der berg") == [ids["jansen"]]
    assert await found(api, admin.token, "berg nergens") == []


async def test_a_postcode_is_found_with_or_without_its_space_and_by_its_digits(api):
    admin = await make_employee("ADMIN")
    ids = await office(admin)
    for text in ("3511 AB", "3511ab", "3511 a"):
        assert await found(api, admin.token, text) == [ids["bakkerij"]]
    assert await found(api, admin.token, "3511") == sorted([ids["bakkerij"], ids["ozturk"]])
    assert await found(api, admin.token, "8911AA") == [ids["coop"]]


async def test_numbers_find_their_relation(api):
    admin = await make_employee("ADMIN")
    ids = await office(admin)
    cases = {
        "10002": ids["bakkerij"],  # relation number
        "12345678": ids["bakkerij"],  # KvK
        "1234.5678": ids["bakkerij"],
        "004495445": ids["bakkerij"],  # RSIN
        "NL004495445B01": ids["bakkerij"],  # btw-id
        "004495445B01": ids["bakkerij"],
        "87654321": ids["coop"],
    }
    for text, rid in cases.items():
        assert await found(api, admin.token, text) == [rid], text


async def test_contact_names_and_e_mail_addresses_find_their_relation(api):
    admin = await make_employee("ADMIN")
    ids = await office(admin)
    contact = {"firstName": "Hélène", "lastName": "Dekker", "email": "administratie@korenschoof.nl"}
    cid = await contacts.add_contact(admin.actor, ids["bakkerij"], contact)
    assert await found(api, admin.token, "helene dekker") == [ids["bakkerij"]]
    assert await found(api, admin.token, "Administratie@Korenschoof.nl") == [ids["bakkerij"]]
    await contacts.update_contact(admin.actor, cid, {"lastName": "Smit"})
    assert await found(api, admin.token, "dekker") == []
    assert await found(api, admin.token, "smit") == [ids["bakkerij"]]
    await contacts.remove_contact(admin.actor, cid)
    assert await found(api, admin.token, "smit") == []


async def test_changed_names_and_addresses_are_found_by_their_new_words_only(api):
    admin = await make_employee("ADMIN")
    ids = await office(admin)
    change = {
        "organisation": {"legalName": "Bakkerij Het Zuiderzon B.V."},
        "addresses": [{"type": "VISITING", "street": "Markt", "houseNumber": "1",
                       "postalCode": "5611 AA", "city": "Eindhoven"}],
    }  # fmt: skip
    await api.gql(UPDATE, {"id": ids["bakkerij"], "i": change}, token=admin.token)
    assert await found(api, admin.token, "zuiderzon") == [ids["bakkerij"]]
    assert await found(api, admin.token, "5611 AA") == [ids["bakkerij"]]
    assert await found(api, admin.token, "3511 AB") == []
    assert await found(api, admin.token, "brood") == [ids["bakkerij"]]  # trade names kept
    # What the writes left (differences only) is what writing every row anew gives.
    kept = await _token_rows()
    await RelationSearchToken.all().delete()
    await search_index.reindex(ids.values())
    assert await _token_rows() == kept


async def _token_rows() -> list[tuple]:
    columns = ("relation_id", "token", "sort_name", "status", "party_type", "kinds_mask")
    return sorted(await RelationSearchToken.all().values_list(*columns, "legal_form"))


async def test_search_tokens_carry_the_relations_listing_columns(api):
    admin = await make_employee("ADMIN")
    ids = await office(admin)
    rows = await RelationSearchToken.filter(relation_id=ids["coop"]).values(
        "token", "sort_name", "status", "party_type", "kinds_mask", "legal_form"
    )
    assert {r["token"] for r in rows} >= {"cooperatie", "eendracht", "87654321", "8911aa"}
    assert {(r["sort_name"], r["status"], r["party_type"], r["kinds_mask"], r["legal_form"])
            for r in rows} == {("cooperatie de eendracht u.a.", "ACTIVE", "ORGANISATION", 1,
                                "COOPERATIE")}  # fmt: skip


async def test_a_search_without_words_lists_everything_active(api):
    admin = await make_employee("ADMIN")
    ids = await office(admin)
    assert await found(api, admin.token, "") == sorted(ids.values())
    assert await found(api, admin.token, "  .,  ") == sorted(ids.values())


async def test_a_relation_with_several_words_on_one_prefix_is_one_match(api):
    """ "bak" starts "Bakkerij", "Bakker" and "Bakhuis": one edge and a total of one, also
    across pages, whichever word a relation has it from."""
    admin = await make_employee("ADMIN")
    mixed = {"partyType": "ORGANISATION", "legalForm": "BV",
             "organisation": {"legalName": "Bakkerij Bakker B.V."}}  # fmt: skip
    other = {"partyType": "ORGANISATION", "legalForm": "BV",
             "organisation": {"legalName": "Zeeman Transport B.V."}}  # fmt: skip
    ids = [await relations.create_relation(admin.actor, d) for d in (mixed, mixed, mixed, other)]
    for rid, name in zip(ids, ("Bea", "Bea", "Bea", "Bob"), strict=True):
        await contacts.add_contact(admin.actor, rid, {"firstName": name, "lastName": "Bakhuis"})
    seen, after = [], None
    while True:
        data = await api.gql(SEARCH, {"s": "BAK", "n": 1, "a": after}, token=admin.token)
        page = data["relations"]
        assert page["totalCount"] == 4
        seen.extend(edge["node"]["id"] for edge in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(ids)
    assert await found(api, admin.token, "bak bea") == sorted(ids[:3])
    assert await found(api, admin.token, "bakh zeeman") == [ids[3]]


async def test_the_migration_to_prefix_tokens_rebuilds_every_relations_tokens(api):
    """Migration 0003 on a register of whole-word tokens: afterwards exactly the rows the
    services write, the table's indexes as before, and search works."""
    import importlib
    from types import SimpleNamespace

    from tortoise.transactions import in_transaction

    migration = importlib.import_module("server.migrations.0003_search_prefix_tokens")

    admin = await make_employee("ADMIN")
    ids = await office(admin)
    columns = ("relation_id", "token", "sort_name", "status", "party_type", "kinds_mask",
               "legal_form")  # fmt: skip
    written = sorted(await RelationSearchToken.all().values_list(*columns))
    indexes = await _indexes()
    # A state before: some whole words, and a word no relation has any more.
    before = [r for r in written if r[1] in {"", "bakkerij", "jansen"}]
    before += [(r[0], "verouderd", *r[2:]) for r in before]
    await RelationSearchToken.all().delete()
    await RelationSearchToken.bulk_create(
        [RelationSearchToken(**dict(zip(columns, r, strict=True))) for r in before]
    )
    async with in_transaction() as tx:
        await migration.rebuild_search_tokens(None, SimpleNamespace(client=tx))
    assert sorted(await RelationSearchToken.all().values_list(*columns)) == written
    assert await _indexes() == indexes
    assert await found(api, admin.token, "verouderd") == []
    assert await found(api, admin.token, "koren") == [ids["bakkerij"]]


async def _indexes() -> list[str]:
    from tortoise.connection import get_connection

    conn = get_connection("default")
    if conn.capabilities.dialect == "postgres":
        sql = "SELECT indexdef AS d FROM pg_indexes WHERE tablename = 'relation_search_token'"
    else:
        sql = "SELECT sql AS d FROM sqlite_master WHERE tbl_name = 'relation_search_token' "
        sql += "AND type = 'index'"
    return sorted(str(r["d"]) for r in await conn.execute_query_dict(sql))


async def test_a_search_that_fails_leaves_no_count_behind(api, monkeypatch):
    """On PostgreSQL the count runs beside the page; when the page fails it is stopped."""
    import asyncio

    from server.services import search

    admin = await make_employee("ADMIN")
    await office(admin)
    started, ended = [], []
    real_count = search._count

    async def slow_count(*args: object) -> int:
        started.append(True)
        try:
            await asyncio.sleep(30)
            return await real_count(*args)  # type: ignore[arg-type]
        finally:
            ended.append(True)

    class Broken:
        @staticmethod
        def filter(**_: object) -> Broken:
            return Broken()

        async def values(self, *_: str) -> list:
            raise RuntimeError("the page's rows could not be read")

    with monkeypatch.context() as patched:
        patched.setattr(search, "Relation", Broken)
        patched.setattr(search, "_count", slow_count)
        try:
            await search.search_relations("berg", None, 25, None, ["id"])
        except RuntimeError as error:
            assert "page's rows" in str(error)
        else:
            raise AssertionError("the failure was swallowed")
        await asyncio.sleep(0.05)
    assert len(ended) == len(started)  # PostgreSQL: started and stopped; SQLite: never run
    assert await found(api, admin.token, "berg transport")  # the pool serves on


async def test_two_writes_reindexing_one_relation_at_once_leave_each_token_once(api):
    """A person renamed (its contact rows follow, on every relation it is a contact of)
    while a contact is added to such a relation: both write the new prefixes "q", "qu",
    "qui" of that relation, and each must end up there once."""
    import asyncio

    from tortoise.connection import get_connection

    admin = await make_employee("ADMIN")
    for attempt in range(4):
        piet = {"partyType": "PERSON", "person": {"givenName": "Piet", "lastName": "Zwart"}}
        person = await relations.create_relation(admin.actor, piet)
        employer = await relations.create_relation(admin.actor, {
            "partyType": "ORGANISATION", "legalForm": "BV",
            "organisation": {"legalName": f"Houtbouw {attempt} B.V."}})  # fmt: skip
        await contacts.add_contact(admin.actor, employer, {"personId": person})
        await asyncio.gather(
            relations.update_relation(
                admin.actor, person, {"person": {"givenName": "Quinten", "lastName": "Zwart"}}
            ),
            contacts.add_contact(
                admin.actor, employer, {"firstName": "Quirine", "lastName": "Quist"}
            ),
        )
    twice = await get_connection("default").execute_query_dict(
        "SELECT relation_id, token, count(*) AS n FROM relation_search_token "
        "GROUP BY relation_id, token HAVING count(*) > 1"
    )
    assert twice == []
    assert len(await found(api, admin.token, "qui houtbouw")) == 4
