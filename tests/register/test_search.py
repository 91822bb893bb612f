"""relations(search:): names without case or diacritics, numbers, contacts, postcodes; several
words narrow; tokens follow every write."""

from __future__ import annotations

from server.models import RelationSearchToken
from server.services import contacts, relations
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
