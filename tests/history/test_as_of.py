"""The card as it was: relation(id, asOf:) answers every section as of that moment."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from server.services import history_rows
from server.services.unit import utcnow
from tests.factories import make_employee
from tests.history import helpers as h

CHANGED_SECTIONS = (
    "displayName", "email", "addresses", "contacts", "links", "shareholders", "group", "staff",
    "customFields",
)  # fmt: skip
WINDOW = {"from": "2020-01-01T00:00:00Z", "to": "2040-01-01T00:00:00Z"}


async def _allergy(actor, relation: str, contact: str) -> tuple[str, str]:
    """A multiple-choice field of contact persons and `contact`'s value ["noten"].

    Recorded as the custom-fields service records it: relation_id = the contact's relation.
    """
    definition = await h.create(
        actor,
        "custom_field_definition",
        key="allergie",
        label="Allergie",
        target="CONTACT_PERSON",
        type="MULTI_CHOICE",
        choices=["noten", "gluten"],
        created_at=utcnow(),
    )
    value = await h.create(
        actor,
        "custom_value",
        record_as={"relation_id": relation},
        definition_id=definition,
        contact_id=contact,
        value=["noten"],
    )
    return definition, value


async def _card(api, token, relation_id, as_of=None):
    variables = {"id": relation_id, "asOf": as_of.isoformat() if as_of else None, **WINDOW}
    data = await api.gql(h.card_query(), variables, token=token)
    return data["relation"]


async def _build_card(actor):
    """A bakery with addresses, contacts, a bank, a shareholder, staff and a custom value."""
    bank = await h.make_relation(actor, "Rabobank Utrecht")
    owner = await h.make_relation(actor, "J. de Vries", last_name="Vries", prefix="de")
    bakery = await h.make_relation(actor, "Bakkerij De Korenbloem B.V.", email="info@korenbloem.nl")
    visit = await h.add_address(actor, bakery, "Oudegracht", position=0)
    postal = await h.add_address(actor, bakery, "Postbus", type="POSTAL", position=1)
    anna = await h.add_contact(actor, bakery, "Jansen", first_name="Anna", is_primary=True)
    piet = await h.add_contact(actor, bakery, "Bakker", first_name="Piet", job_title="Chef")
    await h.update(actor, "contact", anna, job_title="Directeur")
    # An address replaced: the postal address removed, a new one added.
    await h.delete(actor, "address", postal)
    await h.add_address(actor, bakery, "Postbus 88", type="POSTAL", position=1)
    link = await h.create(
        actor, "link", from_relation_id=bakery, to_relation_id=bank, type="BANK", note="Zakelijk"
    )
    holding = await h.create(
        actor, "shareholding", holder_id=owner, subsidiary_id=bakery, percentage=Decimal("100")
    )
    assignment = await h.create(
        actor, "assignment", relation_id=bakery, employee_id=actor.id, role="ACCOUNTANT"
    )
    definition = await h.create(
        actor,
        "custom_field_definition",
        key="ovens",
        label="Ovens",
        target="RELATION",
        type="NUMBER",
        created_at=utcnow(),
    )
    value = await h.create(
        actor, "custom_value", definition_id=definition, relation_id=bakery, value=3
    )
    partner = await h.make_relation(actor, "M. Bos", last_name="Bos")
    partnership = await h.create(
        actor, "partnership", person_a_id=owner, person_b_id=partner, type="MARRIED"
    )
    _, anna_value = await _allergy(actor, bakery, anna)
    return {
        "owner": owner,
        "partnership": partnership,
        "anna_value": anna_value,
        "bakery": bakery,
        "visit": visit,
        "anna": anna,
        "piet": piet,
        "link": link,
        "holding": holding,
        "assignment": assignment,
        "value": value,
    }


async def _change_everything(actor, ids):
    bakery = ids["bakery"]
    await h.update(actor, "relation", bakery, display_name="Korenbloem Holding", email=None)
    await h.update(actor, "contact", ids["anna"], phone="+31301234567", job_title="Eigenaar")
    await h.delete(actor, "contact", ids["piet"])
    await h.add_contact(actor, bakery, "Smit", first_name="Karin")
    await h.delete(actor, "address", ids["visit"])
    await h.add_address(actor, bakery, "Vredenburg", position=0)
    await h.delete(actor, "link", ids["link"])
    await h.update(actor, "shareholding", ids["holding"], percentage=Decimal("60"))
    await h.delete(actor, "assignment", ids["assignment"])
    await h.update(actor, "custom_value", ids["value"], value=5)
    await h.update(actor, "custom_value", ids["anna_value"], value=["gluten"])
    await h.delete(actor, "partnership", ids["partnership"])


async def test_the_card_as_of_a_moment_answers_every_section_as_it_was_then(api):
    admin = await make_employee("ADMIN")
    ids = await _build_card(admin.actor)
    t1 = await h.moment_between()
    then = await _card(api, admin.token, ids["bakery"])
    owner_then = await _card(api, admin.token, ids["owner"])
    await _change_everything(admin.actor, ids)

    now = await _card(api, admin.token, ids["bakery"])
    as_of_t1 = await _card(api, admin.token, ids["bakery"], t1)
    owner_as_of_t1 = await _card(api, admin.token, ids["owner"], t1)

    for section, value in then.items():
        assert as_of_t1[section] == value, section
    for section in CHANGED_SECTIONS:
        assert now[section] != then[section], section
    assert owner_as_of_t1 == owner_then
    assert owner_then["partnership"]["partner"]["displayName"] == "M. Bos"
    assert as_of_t1["contacts"][0]["customFields"][0]["value"] == ["noten"]
    assert [a["street"] for a in as_of_t1["addresses"]] == ["Oudegracht", "Postbus 88"]
    assert [c["displayName"] for c in as_of_t1["contacts"]] == ["Anna Jansen", "Piet Bakker"]
    assert as_of_t1["contacts"][0]["jobTitle"] == "Directeur"
    assert as_of_t1["displayName"] == "Bakkerij De Korenbloem B.V."


async def test_a_moment_before_the_relation_existed_gives_null(api):
    admin = await make_employee("ADMIN")
    before = utcnow() - timedelta(seconds=1)
    bakery = await h.make_relation(admin.actor, "Bakkerij Nieuw B.V.")

    assert await _card(api, admin.token, bakery, before) is None
    assert (await _card(api, admin.token, bakery, utcnow()))["displayName"] == "Bakkerij Nieuw B.V."


async def test_as_of_a_moment_given_in_another_time_zone_means_the_same_instant(api):
    admin = await make_employee("ADMIN")
    bakery = await h.make_relation(admin.actor, "Bakkerij Oud B.V.")
    t1 = await h.moment_between()
    await h.update(admin.actor, "relation", bakery, display_name="Bakkerij Nieuw B.V.")
    amsterdam = t1.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"))

    card = await _card(api, admin.token, bakery, amsterdam)

    assert card["displayName"] == "Bakkerij Oud B.V."


async def test_rows_as_of_a_moment_are_typed_like_live_rows(db):
    bakery = await h.make_relation(None, "Bakkerij Typed B.V.")
    address = await h.add_address(None, bakery, "Lange Nieuwstraat")
    holder = await h.make_relation(None, "Holding Typed B.V.")
    await h.create(
        None, "shareholding", holder_id=holder, subsidiary_id=bakery, percentage=Decimal("25.5")
    )
    moment = utcnow()

    [row] = await history_rows.states_by("address", "relation_id", [bakery], moment)
    [relation] = await history_rows.states("relation", [bakery], moment)
    [holding] = await history_rows.states_by("shareholding", "subsidiary_id", [bakery], moment)

    assert row["id"] == UUID(address) and row["relation_id"] == UUID(bakery)
    assert set(row) == {
        "id", "type", "street", "house_number", "house_number_addition",
        "postal_code", "city", "country_code", "position", "relation_id",
    }  # fmt: skip
    assert relation["created_at"].utcoffset() == timedelta(0)
    assert holding["percentage"] == Decimal("25.5")


async def test_an_entity_that_moved_away_or_was_deleted_is_not_found_at_a_later_moment(db):
    bakery = await h.make_relation(None, "Bakkerij Verhuisd B.V.")
    person = await h.make_relation(None, "P. Pieters", last_name="Pieters")
    contact = await h.add_contact(None, bakery, "Pieters", person_id=person)
    linked = await h.moment_between()
    await h.update(None, "contact", contact, person_id=None)
    unlinked = await h.moment_between()
    await h.delete(None, "contact", contact)
    deleted = await h.moment_between()

    def ids(rows):
        return [str(r["id"]) for r in rows]

    assert ids(await history_rows.states_by("contact", "person_id", [person], linked)) == [contact]
    assert await history_rows.states_by("contact", "person_id", [person], unlinked) == []
    assert ids(await history_rows.states_by("contact", "relation_id", [bakery], unlinked)) == [
        contact
    ]
    assert await history_rows.states_by("contact", "relation_id", [bakery], deleted) == []
    assert await history_rows.states("contact", [contact], deleted) == []
    assert ids(await history_rows.states("contact", [contact], unlinked)) == [contact]


async def test_keys_without_an_indexed_column_are_found_through_the_state(db):
    bakery = await h.make_relation(None, "Bakkerij Veld B.V.")
    contact = await h.add_contact(None, bakery, "Veld")
    _, value = await _allergy(None, bakery, contact)
    moment = await h.moment_between()
    await h.update(None, "custom_value", value, value=["gluten"])

    [row] = await history_rows.states_by("custom_value", "contact_id", [contact], moment)
    rows_now = await history_rows.states_by("custom_value", "contact_id", [contact], utcnow())

    assert row["value"] == ["noten"] and row["relation_id"] is None
    assert [r["value"] for r in rows_now] == [["gluten"]]
    assert await history_rows.states_by("custom_value", "relation_id", [bakery], utcnow()) == []
