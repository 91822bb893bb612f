"""Custom values on the card: contacts' values, order by group/position/label, few statements."""

from __future__ import annotations

import asyncio

from server.services import custom_field_definitions
from server.services.custom_fields import set_custom_fields, write_values
from server.services.unit import unit_of_work, utcnow
from tests.custom_fields.helpers import (
    CARD,
    UPDATE,
    make_contact,
    make_relation,
)
from tests.factories import make_employee
from tests.sql_log import logged_statements


async def define(admin, key, *, target="RELATION", group=None, label=None):
    data = {
        "key": key,
        "label": label or key.title(),
        "target": target,
        "type": "TEXT",
        "group": group,
    }
    return str((await custom_field_definitions.define(admin.actor, data)).id)


async def test_relation_values_show_ungrouped_first_then_by_group_position_and_label(api):
    admin = await make_employee("ADMIN")
    await define(admin, "keuken", group="Horeca")
    await define(admin, "vergunning", group="Horeca", label="Alcoholvergunning")
    await define(admin, "teelt", group="Agrarisch")
    zeta = await define(admin, "zeta", label="Zeta")
    await define(admin, "alfa", label="Alfa")
    # Positions follow the order of definition; moving zeta ahead of alfa reorders them.
    await api.gql(UPDATE, {"id": zeta, "i": {"position": -1}}, token=admin.token)
    relation_id = await make_relation()
    keys = ["keuken", "vergunning", "teelt", "zeta", "alfa"]
    await set_custom_fields(admin.actor, relation_id, [{"key": k, "value": k} for k in keys])
    card = await api.gql(CARD, {"id": relation_id}, token=admin.token)
    shown = [
        (v["definition"]["group"], v["definition"]["key"]) for v in card["relation"]["customFields"]
    ]
    assert shown == [
        (None, "zeta"),
        (None, "alfa"),
        ("Agrarisch", "teelt"),
        ("Horeca", "keuken"),
        ("Horeca", "vergunning"),
    ]


async def contacts_with_values(admin, relation_id, n):
    contact_ids = [await make_contact(relation_id, f"Contact{i}") for i in range(n)]
    async with unit_of_work(admin.actor) as unit:
        for contact_id in contact_ids:
            await write_values(
                unit,
                "CONTACT_PERSON",
                contact_id,
                [{"key": "hobby", "value": f"hobby van {contact_id[:4]}"}],
                creating=False,
                path=("values",),
            )
    return contact_ids


async def test_each_contact_shows_its_own_values(api):
    admin = await make_employee("ADMIN")
    await define(admin, "hobby", target="CONTACT_PERSON")
    relation_id = await make_relation()
    contact_ids = await contacts_with_values(admin, relation_id, 2)
    await make_contact(relation_id, "Zonder")
    card = await api.gql(CARD, {"id": relation_id}, token=admin.token)
    by_contact = {c["id"]: c["customFields"] for c in card["relation"]["contacts"]}
    assert len(by_contact) == 3
    for contact_id in contact_ids:
        assert by_contact.pop(contact_id) == [
            {"definition": {"key": "hobby"}, "value": f"hobby van {contact_id[:4]}"}
        ]
    assert list(by_contact.values()) == [[]]


async def test_the_card_costs_the_same_statements_for_one_contact_or_twenty(api):
    admin = await make_employee("ADMIN")
    await define(admin, "hobby", target="CONTACT_PERSON")
    await define(admin, "sector")
    small, large = await make_relation("Klein"), await make_relation("Groot")
    for relation_id, n in ((small, 1), (large, 20)):
        await set_custom_fields(admin.actor, relation_id, [{"key": "sector", "value": "x"}])
        await contacts_with_values(admin, relation_id, n)
    costs = []
    for relation_id in (small, large):
        with logged_statements() as log:
            await api.gql(CARD, {"id": relation_id}, token=admin.token)
        costs.append(len(log.statements))
    assert costs[0] == costs[1]


async def test_the_card_as_of_a_moment_shows_the_values_and_labels_of_then(api):
    admin = await make_employee("ADMIN")
    hectares = await define(admin, "hectares", label="Hectares")
    await define(admin, "teelt")
    await define(admin, "hobby", target="CONTACT_PERSON")
    relation_id = await make_relation()
    [contact_id] = await contacts_with_values(admin, relation_id, 1)
    await set_custom_fields(
        admin.actor,
        relation_id,
        [{"key": "hectares", "value": "10"}, {"key": "teelt", "value": "Mais"}],
    )
    await asyncio.sleep(0.01)
    then = utcnow()
    await asyncio.sleep(0.01)
    await set_custom_fields(
        admin.actor,
        relation_id,
        [{"key": "hectares", "value": "20"}, {"key": "teelt", "value": None}],
    )
    await api.gql(UPDATE, {"id": hectares, "i": {"label": "Oppervlakte"}}, token=admin.token)
    async with unit_of_work(admin.actor) as unit:
        await write_values(
            unit,
            "CONTACT_PERSON",
            contact_id,
            [{"key": "hobby", "value": None}],
            creating=False,
            path=("values",),
        )
    past = await api.gql(CARD, {"id": relation_id, "at": then.isoformat()}, token=admin.token)
    assert past["relation"]["customFields"] == [
        {"definition": {"key": "hectares", "label": "Hectares", "group": None}, "value": "10"},
        {"definition": {"key": "teelt", "label": "Teelt", "group": None}, "value": "Mais"},
    ]
    assert past["relation"]["contacts"][0]["customFields"] == [
        {"definition": {"key": "hobby"}, "value": f"hobby van {contact_id[:4]}"}
    ]
    now = await api.gql(CARD, {"id": relation_id}, token=admin.token)
    assert now["relation"]["customFields"] == [
        {"definition": {"key": "hectares", "label": "Oppervlakte", "group": None}, "value": "20"}
    ]
    assert now["relation"]["contacts"][0]["customFields"] == []
