"""write_values, the entry the relation and contact mutations call inside their own unit."""

from __future__ import annotations

import pytest

from server.errors import DomainError, DomainErrors
from server.models import Version
from server.services import custom_field_definitions
from server.services.custom_fields import write_values
from server.services.unit import unit_of_work
from tests.custom_fields.helpers import counts, make_contact, make_relation
from tests.factories import make_employee

PATH = ("input", "customFields")


async def contact_fields(admin):
    for key, type, required in [("hobby", "TEXT", False), ("nieuwsbrief", "BOOLEAN", True)]:
        data = {
            "key": key,
            "label": key.title(),
            "target": "CONTACT_PERSON",
            "type": type,
            "required": required,
        }
        await custom_field_definitions.define(admin.actor, data)


async def write(admin, owner_id, values, *, creating, target="CONTACT_PERSON"):
    async with unit_of_work(admin.actor) as unit:
        return await write_values(unit, target, owner_id, values, creating=creating, path=PATH)


async def test_a_new_contact_gets_its_values_and_versions_join_its_relation(db):
    admin = await make_employee("ADMIN")
    await contact_fields(admin)
    relation_id = await make_relation()
    contact_id = await make_contact(relation_id)
    changes = await write(
        admin,
        contact_id,
        [{"key": "hobby", "value": " Zeilen "}, {"key": "nieuwsbrief", "value": True}],
        creating=True,
    )
    assert changes == {"hobby": [None, "Zeilen"], "nieuwsbrief": [None, True]}
    versions = await Version.filter(entity="custom_value").values("relation_id", "state")
    assert len(versions) == 2
    assert {str(v["relation_id"]) for v in versions} == {relation_id}
    assert {v["state"]["contact_id"] for v in versions} == {contact_id}
    assert {v["state"]["relation_id"] for v in versions} == {None}
    assert sorted(str(v["state"]["value"]) for v in versions) == ["True", "Zeilen"]


async def test_creating_without_a_required_value_is_refused_at_the_list(db):
    admin = await make_employee("ADMIN")
    await contact_fields(admin)
    contact_id = await make_contact(await make_relation())
    before = await counts()
    for values in (None, [], [{"key": "hobby", "value": "Golf"}]):
        with pytest.raises(DomainErrors) as refused:
            await write(admin, contact_id, values, creating=True)
        assert [(e.code, e.field, e.message) for e in refused.value.errors] == [
            ("REQUIRED", ["input", "customFields"], "'nieuwsbrief' (Nieuwsbrief) is required.")
        ]
    assert await counts() == before


async def test_an_update_that_gives_no_values_still_needs_the_required_ones(db):
    admin = await make_employee("ADMIN")
    await contact_fields(admin)
    contact_id = await make_contact(await make_relation())
    with pytest.raises(DomainErrors):
        await write(admin, contact_id, None, creating=False)
    await write(admin, contact_id, [{"key": "nieuwsbrief", "value": False}], creating=False)
    assert await write(admin, contact_id, None, creating=False) == {}
    with pytest.raises(DomainErrors) as refused:
        await write(admin, contact_id, [{"key": "nieuwsbrief", "value": None}], creating=False)
    assert refused.value.errors[0].field == ["input", "customFields", "0", "value"]


async def test_invalid_values_are_reported_with_the_callers_path(db):
    admin = await make_employee("ADMIN")
    await contact_fields(admin)
    contact_id = await make_contact(await make_relation())
    with pytest.raises(DomainErrors) as refused:
        await write(
            admin,
            contact_id,
            [{"key": "nieuwsbrief", "value": "ja"}, {"key": "hectares", "value": 3}],
            creating=True,
        )
    assert [(e.code, e.field) for e in refused.value.errors] == [
        ("INVALID", ["input", "customFields", "0", "value"]),
        ("NOT_FOUND", ["input", "customFields", "1", "key"]),
    ]


async def test_an_error_in_the_callers_unit_rolls_the_values_back(db):
    admin = await make_employee("ADMIN")
    await contact_fields(admin)
    contact_id = await make_contact(await make_relation())
    before = await counts()
    with pytest.raises(RuntimeError):
        async with unit_of_work(admin.actor) as unit:
            await write_values(
                unit,
                "CONTACT_PERSON",
                contact_id,
                [{"key": "nieuwsbrief", "value": True}],
                creating=True,
                path=PATH,
            )
            raise RuntimeError("the contact's own write failed after the values")
    assert await counts() == before


async def test_an_unknown_owner_is_not_found_at_the_callers_path(db):
    admin = await make_employee("ADMIN")
    await contact_fields(admin)
    for bad in ("00000000-0000-0000-0000-000000000005", "geen-id"):
        with pytest.raises(DomainError) as refused:
            await write(admin, bad, [{"key": "hobby", "value": "Golf"}], creating=False)
        assert (refused.value.code, refused.value.field, refused.value.message) == (
            "NOT_FOUND",
            ["input", "customFields"],
            "No such contact person.",
        )
