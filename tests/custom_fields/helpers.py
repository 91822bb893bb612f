"""Test-only rows and GraphQL documents for custom fields.

Relations and contact persons are inserted directly (the register's services are built in
another issue); every custom value goes through the custom-fields service or the API.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from server.models import (
    ChangeEvent,
    ContactPerson,
    CustomFieldDefinition,
    CustomFieldValue,
    CustomFieldValueKey,
    Relation,
    Version,
)
from server.services.custom_field_values import stored_value
from server.services.unit import row_state, unit_of_work

_numbers = itertools.count(1)

DEFINE = """mutation($i: CustomFieldDefinitionInput!) { defineCustomField(input: $i) {
  definition { id key label target type choices required group active position }
  errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $i: CustomFieldUpdateInput!) {
  updateCustomField(id: $id, input: $i) {
  definition { id key label type choices required group active }
  errors { field code message } } }"""
SET = """mutation($r: ID!, $v: [CustomFieldValueInput!]!) {
  setCustomFields(relationId: $r, values: $v) {
  relation { id customFields { definition { key label type group } value } }
  errors { field code message } } }"""
CARD = """query($id: ID!, $at: DateTime) { relation(id: $id, asOf: $at) {
  customFields { definition { key label group } value }
  contacts { id customFields { definition { key } value } } } }"""
DEFINITIONS = """query($t: CustomFieldTarget, $all: Boolean) {
  customFieldDefinitions(target: $t, includeInactive: $all) { key label target active } }"""


async def make_relation(name: str = "Akkerbouw De Vries BV") -> str:
    """A relation row and its creation version (so that asOf finds it)."""
    async with unit_of_work(None) as unit:
        relation = await Relation.create(
            id=uuid.uuid4(),
            number=f"T{next(_numbers):05d}",
            party_type="ORGANISATION",
            display_name=name,
            sort_name=name.casefold(),
            legal_name=name,
            created_at=unit.now,
            updated_at=unit.now,
        )
        unit.record("relation", relation.id, None, row_state(relation), relation_id=relation.id)
    return str(relation.id)


async def make_contact(relation_id: str, last_name: str = "Jansen") -> str:
    async with unit_of_work(None) as unit:
        contact = await ContactPerson.create(
            id=uuid.uuid4(), relation_id=relation_id, last_name=last_name, created_at=unit.now
        )
        unit.record("contact", contact.id, None, row_state(contact), relation_id=relation_id)
    return str(contact.id)


async def counts() -> dict[str, int]:
    """Rows per table that a custom-fields write touches (for 'nothing changed' checks)."""
    models = (CustomFieldDefinition, CustomFieldValue, CustomFieldValueKey, Version, ChangeEvent)
    return {model._meta.db_table: await model.all().count() for model in models}


def definition_input(key: str, type: str, **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "label": key.replace("_", " ").title(),
        "target": "RELATION",
        "type": type,
        **extra,
    }


async def stored() -> dict[str, Any]:
    """owner id (relation or contact) -> stored value in its API form."""
    rows = await CustomFieldValue.all().values("relation_id", "contact_id", "value")
    return {str(r["relation_id"] or r["contact_id"]): stored_value(r["value"]) for r in rows}
