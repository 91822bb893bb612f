"""Setting values with setCustomFields: validation, clearing, required fields, history, events."""

from __future__ import annotations

import pytest

from server.models import ChangeEvent, Version
from server.services import custom_field_definitions
from tests.custom_fields.helpers import CARD, SET, UPDATE, counts, make_relation, stored
from tests.factories import make_employee

CHOICES = ["Melkvee", "Akkerbouw", "Varkens"]
FIELDS = [
    ("notitie", "TEXT", None),
    ("hectares", "NUMBER", None),
    ("opgericht", "DATE", None),
    ("biologisch", "BOOLEAN", None),
    ("hoofdtak", "CHOICE", CHOICES),
    ("takken", "MULTI_CHOICE", CHOICES),
]


async def office(*, required: str | None = None):
    """An admin, one RELATION field of every type (one of them required), and a relation."""
    admin = await make_employee("ADMIN")
    ids = {}
    for key, type, choices in FIELDS:
        data = {
            "key": key,
            "label": key.title(),
            "target": "RELATION",
            "type": type,
            "choices": choices,
            "required": key == required,
            "group": None,
        }
        ids[key] = str((await custom_field_definitions.define(admin.actor, data)).id)
    return admin, ids, await make_relation()


async def set_values(api, token, relation_id, values):
    data = await api.gql(SET, {"r": relation_id, "v": values}, token=token)
    return data["setCustomFields"]


async def test_every_type_takes_its_value_and_the_card_shows_them_in_order(api):
    _, _, relation_id = await office()
    employee = await make_employee("EMPLOYEE")
    values = [
        {"key": "takken", "value": ["Varkens", "Melkvee"]},
        {"key": "notitie", "value": "Biologisch sinds 2010"},
        {"key": "hectares", "value": 42.5},
        {"key": "opgericht", "value": "1998-04-01"},
        {"key": "biologisch", "value": True},
        {"key": "hoofdtak", "value": "Melkvee"},
    ]
    payload = await set_values(api, employee.token, relation_id, values)
    assert payload["errors"] == []
    shown = [(v["definition"]["key"], v["value"]) for v in payload["relation"]["customFields"]]
    assert shown == [
        ("notitie", "Biologisch sinds 2010"),
        ("hectares", 42.5),
        ("opgericht", "1998-04-01"),
        ("biologisch", True),
        ("hoofdtak", "Melkvee"),
        ("takken", ["Melkvee", "Varkens"]),
    ]
    card = await api.gql(CARD, {"id": relation_id}, token=employee.token)
    assert [v["value"] for v in card["relation"]["customFields"]] == [v for _, v in shown]


@pytest.mark.parametrize(
    ("key", "bad", "message"),
    [
        ("notitie", 12, "'notitie' takes text."),
        ("hectares", "42", "'hectares' takes a number."),
        ("opgericht", "01-04-1998", "'opgericht' takes a date as yyyy-mm-dd."),
        ("biologisch", "ja", "'biologisch' takes true or false."),
        ("hoofdtak", "Geiten", "'hoofdtak' takes one of: Melkvee, Akkerbouw, Varkens."),
        (
            "takken",
            ["Melkvee", "Melkvee"],
            "'takken' takes a list of distinct choices from: Melkvee, Akkerbouw, Varkens.",
        ),
    ],
)
async def test_a_value_of_the_wrong_type_is_refused_and_nothing_changes(api, key, bad, message):
    admin, _, relation_id = await office()
    await set_values(api, admin.token, relation_id, [{"key": "notitie", "value": "eerst"}])
    before = await counts()
    payload = await set_values(
        api,
        admin.token,
        relation_id,
        [
            {
                "key": "hectares" if key != "hectares" else "notitie",
                "value": 7 if key != "hectares" else "nu",
            },
            {"key": key, "value": bad},
        ],
    )
    assert payload["relation"] is None
    assert payload["errors"] == [
        {"field": ["values", "1", "value"], "code": "INVALID", "message": message}
    ]
    assert await counts() == before
    assert await stored() == {relation_id: "eerst"}


async def test_every_fault_of_a_request_is_reported_at_once(api):
    admin, ids, relation_id = await office()
    await api.gql(UPDATE, {"id": ids["biologisch"], "i": {"active": False}}, token=admin.token)
    before = await counts()
    payload = await set_values(
        api,
        admin.token,
        relation_id,
        [
            {"key": "hectares", "value": 10},
            {"key": "onbekend", "value": 1},
            {"key": "biologisch", "value": True},
            {"key": "hectares", "value": 11},
            {"key": "opgericht", "value": "gisteren"},
        ],
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        (["values", "1", "key"], "NOT_FOUND"),
        (["values", "2", "key"], "INVALID"),
        (["values", "3", "key"], "INVALID"),
        (["values", "4", "value"], "INVALID"),
    ]
    assert [e["message"] for e in payload["errors"][:3]] == [
        "No field has the key 'onbekend'.",
        "The field 'biologisch' is no longer in use.",
        "'hectares' is given twice.",
    ]
    assert await counts() == before


async def test_a_key_of_the_other_target_is_unknown_here(api):
    admin, _, relation_id = await office()
    data = {"key": "hobby", "label": "Hobby", "target": "CONTACT_PERSON", "type": "TEXT"}
    await custom_field_definitions.define(admin.actor, data)
    payload = await set_values(api, admin.token, relation_id, [{"key": "hobby", "value": "Zeilen"}])
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        (["values", "0", "key"], "NOT_FOUND")
    ]


async def test_an_unknown_relation_is_not_found(api):
    admin, _, _ = await office()
    for bad in ["00000000-0000-0000-0000-000000000009", "R-12"]:
        payload = await set_values(api, admin.token, bad, [{"key": "hectares", "value": 1}])
        assert payload["errors"] == [
            {"field": ["relationId"], "code": "NOT_FOUND", "message": "No such relation."}
        ]


async def test_null_clears_a_value_and_its_history_says_so(api):
    admin, _, relation_id = await office()
    await set_values(api, admin.token, relation_id, [{"key": "hectares", "value": 12}])
    payload = await set_values(api, admin.token, relation_id, [{"key": "hectares", "value": None}])
    assert payload["errors"] == []
    assert payload["relation"]["customFields"] == []
    assert await stored() == {}
    ops = (
        await Version.filter(entity="custom_value")
        .order_by("id")
        .values_list("op", "relation_id", "changes")
    )
    assert [(op, str(rid)) for op, rid, _ in ops] == [
        ("create", relation_id),
        ("delete", relation_id),
    ]
    assert ops[1][2]["value"] == [12, None]
    assert (await counts())["custom_field_value_key"] == 0


async def test_a_change_writes_versions_and_one_event_keyed_by_field(api):
    admin, _, relation_id = await office()
    await set_values(api, admin.token, relation_id, [{"key": "hectares", "value": 12}])
    await set_values(
        api,
        admin.token,
        relation_id,
        [
            {"key": "hectares", "value": 14},
            {"key": "biologisch", "value": False},
            {"key": "notitie", "value": None},
        ],
    )
    events = await ChangeEvent.filter(type="custom_fields.updated").order_by("sequence")
    assert [str(e.relation_id) for e in events] == [relation_id, relation_id]
    assert events[1].actor_id is not None and str(events[1].actor_id) == admin.id
    assert events[1].payload == {
        "entity": "relation",
        "id": relation_id,
        "changes": {"hectares": [12, 14], "biologisch": [None, False]},
        "data": {"hectares": 14, "biologisch": False},
    }
    updates = await Version.filter(entity="custom_value", op="update").values_list(
        "changes", flat=True
    )
    assert updates == [{"value": [12, 14]}]


async def test_setting_the_same_values_again_writes_nothing(api):
    admin, _, relation_id = await office()
    values = [{"key": "hectares", "value": 12}, {"key": "takken", "value": ["Varkens"]}]
    await set_values(api, admin.token, relation_id, values)
    before = await counts()
    payload = await set_values(api, admin.token, relation_id, values)
    assert payload["errors"] == []
    assert await counts() == before


async def test_a_required_field_cannot_be_cleared_or_left_empty_on_update(api):
    admin, _, relation_id = await office(required="hectares")
    before = await counts()
    missing = await set_values(api, admin.token, relation_id, [{"key": "notitie", "value": "x"}])
    assert missing["errors"] == [
        {"field": ["values"], "code": "REQUIRED", "message": "'hectares' (Hectares) is required."}
    ]
    assert await counts() == before
    given = await set_values(api, admin.token, relation_id, [{"key": "hectares", "value": 3}])
    assert given["errors"] == []
    later = await set_values(api, admin.token, relation_id, [{"key": "notitie", "value": "x"}])
    assert later["errors"] == []
    before = await counts()
    cleared = await set_values(api, admin.token, relation_id, [{"key": "hectares", "value": None}])
    assert cleared["errors"] == [
        {
            "field": ["values", "0", "value"],
            "code": "REQUIRED",
            "message": "'hectares' (Hectares) is required.",
        }
    ]
    assert await counts() == before


async def test_a_deactivated_required_field_is_not_required(api):
    admin, ids, relation_id = await office(required="hectares")
    await api.gql(UPDATE, {"id": ids["hectares"], "i": {"active": False}}, token=admin.token)
    payload = await set_values(api, admin.token, relation_id, [{"key": "notitie", "value": "x"}])
    assert payload["errors"] == []


async def test_deactivating_hides_a_value_from_the_card_and_reactivating_shows_it_again(api):
    admin, ids, relation_id = await office()
    await set_values(api, admin.token, relation_id, [{"key": "hectares", "value": 9}])
    await api.gql(UPDATE, {"id": ids["hectares"], "i": {"active": False}}, token=admin.token)
    hidden = await api.gql(CARD, {"id": relation_id}, token=admin.token)
    assert hidden["relation"]["customFields"] == []
    await api.gql(
        UPDATE, {"id": ids["hectares"], "i": {"active": True, "label": "Ha"}}, token=admin.token
    )
    shown = await api.gql(CARD, {"id": relation_id}, token=admin.token)
    assert shown["relation"]["customFields"] == [
        {"definition": {"key": "hectares", "label": "Ha", "group": None}, "value": 9}
    ]
