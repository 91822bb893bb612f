"""Filtering relations on a custom field: one lookup in the (definition_id, key) index."""

from __future__ import annotations

import uuid

import pytest
from tortoise.connection import get_connection

from server.errors import DomainError
from server.models import CustomFieldValue, CustomFieldValueKey, Relation
from server.services import custom_field_definitions
from server.services.custom_fields import relation_filter_subquery, set_custom_fields
from tests.custom_fields.helpers import make_relation
from tests.factories import make_employee

CHOICES = ["Melkvee", "Akkerbouw", "Varkens"]


async def matching(key, value) -> set[str]:
    subquery = await relation_filter_subquery(key, value)
    return {str(i) for i in await Relation.filter(id__in=subquery).values_list("id", flat=True)}


async def office(admin):
    for key, type, choices in [
        ("notitie", "TEXT", None),
        ("hectares", "NUMBER", None),
        ("opgericht", "DATE", None),
        ("biologisch", "BOOLEAN", None),
        ("hoofdtak", "CHOICE", CHOICES),
        ("takken", "MULTI_CHOICE", CHOICES),
    ]:
        data = {"key": key, "label": key, "target": "RELATION", "type": type, "choices": choices}
        await custom_field_definitions.define(admin.actor, data)
    contact_field = {"key": "notitie", "label": "n", "target": "CONTACT_PERSON", "type": "TEXT"}
    await custom_field_definitions.define(admin.actor, contact_field)


async def test_each_type_filters_on_equality(db):
    admin = await make_employee("ADMIN")
    await office(admin)
    a, b, c = [await make_relation(n) for n in ("A", "B", "C")]
    await set_custom_fields(
        admin.actor,
        a,
        [
            {"key": "notitie", "value": "Biologisch  Dynamisch"},
            {"key": "hectares", "value": 12.0},
            {"key": "opgericht", "value": "1998-04-01"},
            {"key": "biologisch", "value": True},
            {"key": "hoofdtak", "value": "Melkvee"},
            {"key": "takken", "value": ["Melkvee", "Varkens"]},
        ],
    )
    await set_custom_fields(
        admin.actor,
        b,
        [
            {"key": "notitie", "value": "regulier"},
            {"key": "hectares", "value": 12.5},
            {"key": "opgericht", "value": "2001-01-01"},
            {"key": "biologisch", "value": False},
            {"key": "hoofdtak", "value": "Varkens"},
            {"key": "takken", "value": ["Varkens"]},
        ],
    )
    await set_custom_fields(admin.actor, c, [{"key": "hectares", "value": 12}])
    assert await matching("notitie", "biologisch dynamisch") == {a}
    assert await matching("hectares", 12) == {a, c}
    assert await matching("hectares", 12.5) == {b}
    assert await matching("opgericht", "2001-01-01") == {b}
    assert await matching("biologisch", True) == {a}
    assert await matching("biologisch", False) == {b}
    assert await matching("hoofdtak", "Melkvee") == {a}
    assert await matching("takken", "Varkens") == {a, b}
    assert await matching("takken", ["Varkens"]) == {b}
    assert await matching("takken", ["Varkens", "Melkvee"]) == {a}
    assert await matching("takken", "Akkerbouw") == set()


async def test_a_changed_or_cleared_value_is_found_by_its_new_value_only(db):
    admin = await make_employee("ADMIN")
    await office(admin)
    a = await make_relation()
    await set_custom_fields(admin.actor, a, [{"key": "hectares", "value": 1}])
    await set_custom_fields(admin.actor, a, [{"key": "hectares", "value": 2}])
    assert (await matching("hectares", 1), await matching("hectares", 2)) == (set(), {a})
    await set_custom_fields(admin.actor, a, [{"key": "hectares", "value": None}])
    assert await matching("hectares", 2) == set()


@pytest.mark.parametrize(
    ("key", "value", "code", "field"),
    [
        ("onbekend", 1, "NOT_FOUND", ["filter", "customField", "key"]),
        ("hectares", "twaalf", "INVALID", ["filter", "customField", "value"]),
        ("hoofdtak", "Geiten", "INVALID", ["filter", "customField", "value"]),
        ("takken", [], "INVALID", ["filter", "customField", "value"]),
        ("biologisch", None, "INVALID", ["filter", "customField", "value"]),
    ],
)
async def test_an_unknown_key_or_a_value_the_field_cannot_hold_is_refused(
    db, key, value, code, field
):
    admin = await make_employee("ADMIN")
    await office(admin)
    with pytest.raises(DomainError) as refused:
        await relation_filter_subquery(key, value)
    assert (refused.value.code, refused.value.field) == (code, field)


async def _bulk_keys(definition_ids: list[str], per_definition: int) -> None:
    """Many index rows over many definitions, so a scan would be the planner's worse choice."""
    relation_id = await make_relation("Veel")
    values, keys = [], []
    for definition_id in definition_ids:
        for i in range(per_definition):
            value = CustomFieldValue(id=uuid.uuid4(), definition_id=definition_id, value={"v": i})
            values.append(value)
            keys.append(
                CustomFieldValueKey(
                    value_id=value.id,
                    definition_id=definition_id,
                    relation_id=relation_id,
                    key=str(i),
                )
            )
    await CustomFieldValue.bulk_create(values, batch_size=1000)
    await CustomFieldValueKey.bulk_create(keys, batch_size=1000)


async def _index_name(db) -> str:
    conn = get_connection("default")
    if db.is_postgres:
        rows = await conn.execute_query_dict(
            "SELECT indexname AS name, indexdef AS sql FROM pg_indexes "
            "WHERE tablename = 'custom_field_value_key'"
        )
    else:
        rows = await conn.execute_query_dict(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = 'custom_field_value_key'"
        )
    [name] = [r["name"] for r in rows if r["sql"] and "definition_id" in r["sql"]]
    return name


async def test_the_filter_uses_the_index_not_a_scan(db):
    admin = await make_employee("ADMIN")
    ids = []
    for n in range(20):
        data = {"key": f"veld_{n}", "label": "v", "target": "RELATION", "type": "NUMBER"}
        ids.append(str((await custom_field_definitions.define(admin.actor, data)).id))
    await _bulk_keys(ids, 250)
    conn = get_connection("default")
    subquery = await relation_filter_subquery("veld_7", 42)
    query = Relation.filter(id__in=subquery).values("id")
    query._make_query()
    # The statement exactly as it runs, with its bind parameters.
    sql, params = query.query.get_parameterized_sql()
    index = await _index_name(db)
    if db.is_postgres:
        await conn.execute_script("ANALYZE custom_field_value_key; ANALYZE relation")
        rows = await conn.execute_query_dict("EXPLAIN " + sql, params)
        plan = "\n".join(row["QUERY PLAN"] for row in rows)
        assert f"Index Scan using {index} on custom_field_value_key" in plan, plan
        assert "Index Cond: ((definition_id = " in plan and "AND ((key)::text = " in plan, plan
        assert "Seq Scan on custom_field_value_key" not in plan, plan
    else:
        rows = await conn.execute_query_dict("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(row["detail"] for row in rows)
        expected = f"custom_field_value_key USING INDEX {index} (definition_id=? AND key=?)"
        assert expected in plan, plan
        assert "SCAN custom_field_value_key" not in plan, plan
    assert {str(i) for i in await Relation.filter(id__in=subquery).values_list("id", flat=True)}
