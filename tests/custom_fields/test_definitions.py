"""Defining, relabelling, retyping and deactivating office fields, over the API."""

from __future__ import annotations

import pytest

from server.models import Version
from server.services.custom_fields import set_custom_fields
from tests.custom_fields.helpers import (
    DEFINE,
    DEFINITIONS,
    UPDATE,
    counts,
    definition_input,
    make_relation,
    stored,
)
from tests.factories import make_employee

CHOICES = ["Melkvee", "Akkerbouw", "Varkens"]


async def define(api, token, **fields):
    data = await api.gql(DEFINE, {"i": fields}, token=token)
    return data["defineCustomField"]


@pytest.mark.parametrize("type", ["TEXT", "NUMBER", "DATE", "BOOLEAN", "CHOICE", "MULTI_CHOICE"])
async def test_an_admin_defines_a_field_of_every_type(api, type):
    admin = await make_employee("ADMIN")
    choices = CHOICES if "CHOICE" in type else None
    payload = await define(
        api,
        admin.token,
        **definition_input(
            "soort_bedrijf", type, choices=choices, required=True, group="Agrarisch"
        ),
    )
    assert payload["errors"] == []
    assert payload["definition"] == {
        "id": payload["definition"]["id"],
        "key": "soort_bedrijf",
        "label": "Soort Bedrijf",
        "target": "RELATION",
        "type": type,
        "choices": choices or [],
        "required": True,
        "group": "Agrarisch",
        "active": True,
        "position": 0,
    }
    versions = await Version.filter(entity="custom_field_definition").values("op", "relation_id")
    assert versions == [{"op": "create", "relation_id": None}]


async def test_only_an_admin_defines_fields(api):
    manager = await make_employee("MANAGER")
    before = await counts()
    payload = await define(api, manager.token, **definition_input("hectares", "NUMBER"))
    assert payload["definition"] is None
    assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"]
    assert await counts() == before


async def test_a_key_is_unique_per_target_only(api):
    admin = await make_employee("ADMIN")
    await define(api, admin.token, **definition_input("hectares", "NUMBER"))
    before = await counts()
    again = await define(api, admin.token, **definition_input("hectares", "TEXT"))
    assert again["errors"] == [
        {
            "field": ["input", "key"],
            "code": "CONFLICT",
            "message": "A RELATION field with the key 'hectares' exists.",
        }
    ]
    assert await counts() == before
    other = await define(
        api, admin.token, **{**definition_input("hectares", "NUMBER"), "target": "CONTACT_PERSON"}
    )
    assert other["errors"] == []


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"key": "Hectares"}, [(["input", "key"], "INVALID")]),
        ({"key": "1ha"}, [(["input", "key"], "INVALID")]),
        ({"key": "ha-groot"}, [(["input", "key"], "INVALID")]),
        ({"label": "  "}, [(["input", "label"], "REQUIRED")]),
        ({"type": "CHOICE"}, [(["input", "choices"], "REQUIRED")]),
        ({"type": "MULTI_CHOICE", "choices": []}, [(["input", "choices"], "REQUIRED")]),
        (
            {"type": "CHOICE", "choices": ["Melkvee", "melkvee ", ""]},
            [(["input", "choices", "1"], "INVALID"), (["input", "choices", "2"], "INVALID")],
        ),
        ({"type": "TEXT", "choices": ["Melkvee"]}, [(["input", "choices"], "INVALID")]),
        (
            {"key": "Fout", "label": "", "group": "g" * 101},
            [
                (["input", "key"], "INVALID"),
                (["input", "label"], "REQUIRED"),
                (["input", "group"], "INVALID"),
            ],
        ),
    ],
)
async def test_a_bad_definition_is_refused_with_every_fault_and_nothing_is_stored(
    api, fields, errors
):
    admin = await make_employee("ADMIN")
    before = await counts()
    payload = await define(api, admin.token, **{**definition_input("hectares", "NUMBER"), **fields})
    assert payload["definition"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == errors
    assert await counts() == before


async def test_definitions_list_by_target_and_hide_inactive_unless_asked(api):
    admin = await make_employee("ADMIN")
    await define(api, admin.token, **definition_input("hectares", "NUMBER", group="Agrarisch"))
    await define(api, admin.token, **definition_input("vergunning", "BOOLEAN", group="Horeca"))
    await define(api, admin.token, **definition_input("notitie", "TEXT"))
    contact = {**definition_input("hobby", "TEXT"), "target": "CONTACT_PERSON"}
    await define(api, admin.token, **contact)
    hidden = await define(api, admin.token, **definition_input("oud", "TEXT"))
    await api.gql(UPDATE, {"id": hidden["definition"]["id"], "i": {"active": False}}, admin.token)
    employee = await make_employee("EMPLOYEE")
    listed = await api.gql(DEFINITIONS, {"t": "RELATION"}, token=employee.token)
    keys = [d["key"] for d in listed["customFieldDefinitions"]]
    assert keys == ["notitie", "hectares", "vergunning"]
    everything = await api.gql(DEFINITIONS, {"all": True}, token=employee.token)
    assert [d["key"] for d in everything["customFieldDefinitions"]] == [
        "notitie",
        "oud",
        "hectares",
        "vergunning",
        "hobby",
    ]


async def test_relabelling_and_deactivating_keep_the_stored_values(api):
    admin = await make_employee("ADMIN")
    made = await define(api, admin.token, **definition_input("hectares", "NUMBER"))
    relation_id = await make_relation()
    await set_custom_fields(admin.actor, relation_id, [{"key": "hectares", "value": 40}])
    changed = await api.gql(
        UPDATE,
        {
            "id": made["definition"]["id"],
            "i": {"label": "Oppervlakte (ha)", "active": False, "group": "Agrarisch"},
        },
        token=admin.token,
    )
    assert changed["updateCustomField"]["errors"] == []
    definition = changed["updateCustomField"]["definition"]
    assert (definition["label"], definition["active"], definition["group"]) == (
        "Oppervlakte (ha)",
        False,
        "Agrarisch",
    )
    assert await stored() == {relation_id: 40}
    versions = await Version.filter(entity="custom_field_definition", op="update").values_list(
        "changes", flat=True
    )
    assert versions == [
        {
            "active": [True, False],
            "group": [None, "Agrarisch"],
            "label": ["Hectares", "Oppervlakte (ha)"],
        }
    ]


async def test_only_an_admin_changes_a_definition(api):
    admin = await make_employee("ADMIN")
    partner = await make_employee("PARTNER")
    made = await define(api, admin.token, **definition_input("hectares", "NUMBER"))
    before = await counts()
    refused = await api.gql(
        UPDATE, {"id": made["definition"]["id"], "i": {"label": "Nee"}}, token=partner.token
    )
    assert [e["code"] for e in refused["updateCustomField"]["errors"]] == ["FORBIDDEN"]
    assert await counts() == before


async def test_an_unknown_definition_is_not_found(api):
    admin = await make_employee("ADMIN")
    for bad in ["00000000-0000-0000-0000-000000000001", "geen-id"]:
        refused = await api.gql(UPDATE, {"id": bad, "i": {"label": "X"}}, token=admin.token)
        assert refused["updateCustomField"]["errors"] == [
            {"field": ["id"], "code": "NOT_FOUND", "message": "No such custom field."}
        ]
