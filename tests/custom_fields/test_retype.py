"""Changing a field's type or choices: stored values are converted, or the change is refused."""

from __future__ import annotations

from server.models import ChangeEvent, CustomFieldDefinition, CustomFieldValueKey, Version
from server.services import custom_field_definitions
from server.services.custom_fields import set_custom_fields
from tests.custom_fields.helpers import UPDATE, counts, make_relation, stored
from tests.factories import make_employee


async def field(admin, key, type, **extra):
    data = {"key": key, "label": key.title(), "target": "RELATION", "type": type, **extra}
    return str((await custom_field_definitions.define(admin.actor, data)).id)


async def test_text_becomes_number_when_every_stored_value_is_a_number(api):
    admin = await make_employee("ADMIN")
    field_id = await field(admin, "hectares", "TEXT")
    first, second = await make_relation("Boer Een"), await make_relation("Boer Twee")
    await set_custom_fields(admin.actor, first, [{"key": "hectares", "value": "12.50"}])
    await set_custom_fields(admin.actor, second, [{"key": "hectares", "value": "40"}])
    changed = await api.gql(UPDATE, {"id": field_id, "i": {"type": "NUMBER"}}, token=admin.token)
    assert changed["updateCustomField"]["errors"] == []
    assert changed["updateCustomField"]["definition"]["type"] == "NUMBER"
    assert await stored() == {first: 12.5, second: 40}
    keys = await CustomFieldValueKey.all().order_by("key").values_list("key", flat=True)
    assert keys == ["12.5", "40"]
    retyped = await Version.filter(entity="custom_value", op="update").order_by("relation_id")
    assert sorted(v.changes["value"][1] for v in retyped) == [12.5, 40]
    event = (
        await ChangeEvent.filter(type="custom_fields.updated", relation_id=first)
        .order_by("-sequence")
        .first()
    )
    assert event is not None
    assert event.payload["changes"] == {"hectares": ["12.50", 12.5]}
    assert event.payload["data"] == {"hectares": 12.5}


async def test_text_does_not_become_number_while_a_stored_value_is_not_a_number(api):
    admin = await make_employee("ADMIN")
    field_id = await field(admin, "hectares", "TEXT")
    first, second = await make_relation("A"), await make_relation("B")
    await set_custom_fields(admin.actor, first, [{"key": "hectares", "value": "12"}])
    await set_custom_fields(admin.actor, second, [{"key": "hectares", "value": "veel"}])
    before = await counts()
    refused = await api.gql(
        UPDATE, {"id": field_id, "i": {"type": "NUMBER", "label": "Ha"}}, token=admin.token
    )
    assert refused["updateCustomField"]["errors"] == [
        {
            "field": ["input", "type"],
            "code": "CONFLICT",
            "message": "1 stored value(s) of 'hectares' cannot become NUMBER; change or clear "
            "them first.",
        }
    ]
    assert await counts() == before
    definition = await CustomFieldDefinition.get(id=field_id)
    assert (definition.type, definition.label) == ("TEXT", "Hectares")
    assert await stored() == {first: "12", second: "veel"}


async def test_a_choice_still_in_use_cannot_be_removed(api):
    admin = await make_employee("ADMIN")
    field_id = await field(
        admin, "sector", "MULTI_CHOICE", choices=["Melkvee", "Akkerbouw", "Varkens"]
    )
    await set_custom_fields(
        admin.actor, await make_relation("A"), [{"key": "sector", "value": ["Melkvee", "Varkens"]}]
    )
    await set_custom_fields(
        admin.actor, await make_relation("B"), [{"key": "sector", "value": ["Varkens"]}]
    )
    before = await counts()
    refused = await api.gql(
        UPDATE, {"id": field_id, "i": {"choices": ["Akkerbouw"]}}, token=admin.token
    )
    assert refused["updateCustomField"]["errors"] == [
        {
            "field": ["input", "choices"],
            "code": "CONFLICT",
            "message": "The choice 'Melkvee' of 'sector' is still used by 1 value(s); change "
            "those first.",
        },
        {
            "field": ["input", "choices"],
            "code": "CONFLICT",
            "message": "The choice 'Varkens' of 'sector' is still used by 2 value(s); change "
            "those first.",
        },
    ]
    assert await counts() == before
    definition = await CustomFieldDefinition.get(id=field_id)
    assert definition.choices == ["Melkvee", "Akkerbouw", "Varkens"]


async def test_an_unused_choice_is_removed_and_a_new_one_added(api):
    admin = await make_employee("ADMIN")
    field_id = await field(admin, "sector", "CHOICE", choices=["Melkvee", "Akkerbouw"])
    relation_id = await make_relation()
    await set_custom_fields(admin.actor, relation_id, [{"key": "sector", "value": "Melkvee"}])
    changed = await api.gql(
        UPDATE, {"id": field_id, "i": {"choices": ["Melkvee", "Geiten"]}}, token=admin.token
    )
    assert changed["updateCustomField"]["errors"] == []
    assert changed["updateCustomField"]["definition"]["choices"] == ["Melkvee", "Geiten"]
    assert await stored() == {relation_id: "Melkvee"}


async def test_a_choice_field_becomes_multi_choice_with_its_values_as_lists(api):
    admin = await make_employee("ADMIN")
    field_id = await field(admin, "sector", "CHOICE", choices=["Melkvee", "Akkerbouw"])
    relation_id = await make_relation()
    await set_custom_fields(admin.actor, relation_id, [{"key": "sector", "value": "Akkerbouw"}])
    changed = await api.gql(
        UPDATE, {"id": field_id, "i": {"type": "MULTI_CHOICE"}}, token=admin.token
    )
    assert changed["updateCustomField"]["errors"] == []
    assert await stored() == {relation_id: ["Akkerbouw"]}
    keys = await CustomFieldValueKey.all().order_by("key").values_list("key", flat=True)
    assert keys == ["c:Akkerbouw", 's:["Akkerbouw"]']


async def test_a_text_field_cannot_get_choices_and_a_choice_field_needs_them(api):
    admin = await make_employee("ADMIN")
    text_id = await field(admin, "notitie", "TEXT")
    before = await counts()
    refused = await api.gql(UPDATE, {"id": text_id, "i": {"choices": ["A"]}}, token=admin.token)
    assert [(e["field"], e["code"]) for e in refused["updateCustomField"]["errors"]] == [
        (["input", "choices"], "INVALID")
    ]
    refused = await api.gql(UPDATE, {"id": text_id, "i": {"type": "CHOICE"}}, token=admin.token)
    assert [(e["field"], e["code"]) for e in refused["updateCustomField"]["errors"]] == [
        (["input", "choices"], "REQUIRED")
    ]
    assert await counts() == before
