"""Office-defined fields: defining, relabelling, retyping and (de)activating definitions.

A definition's key and target never change (integrations and filters use the key). A
deactivated definition keeps its stored values: they are hidden from the card and refused
on write until it is active again. A new or newly required definition does not touch
existing relations: the requirement applies from their next write (see custom_fields.py).
A type or choices change is checked against every stored value and converted in the same
transaction; when a single value does not fit, the change is refused with CONFLICT.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from tortoise.exceptions import IntegrityError

from server.auth.permissions import Actor
from server.errors import Code, DomainError, DomainErrors, ErrorCollector
from server.models import CustomFieldDefinition
from server.services.custom_field_types import CHOICE_TYPES, TARGETS, TYPES, Definition
from server.services.custom_field_values import retype_values
from server.services.unit import row_state, unit_of_work

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
LABEL_MAX = 200
GROUP_MAX = 100
CHOICE_MAX = 100


def _label(raw: Any) -> str:
    label = (raw or "").strip() if isinstance(raw, str) or raw is None else ""
    if not label:
        raise DomainError(Code.REQUIRED, "A label is required.")
    if len(label) > LABEL_MAX:
        raise DomainError(Code.INVALID, f"A label has at most {LABEL_MAX} characters.")
    return label


def _group(raw: str | None) -> str | None:
    group = (raw or "").strip()
    if len(group) > GROUP_MAX:
        raise DomainError(Code.INVALID, f"A group has at most {GROUP_MAX} characters.")
    return group or None


def _choices(kind: str, raw: list[str] | None, errors: ErrorCollector) -> list[str]:
    """The cleaned choices: required and unique for choice types, refused for the others."""
    given = [c.strip() if isinstance(c, str) else "" for c in (raw or [])]
    if kind not in CHOICE_TYPES:
        if given:
            errors.add(DomainError(Code.INVALID, f"A {kind} field has no choices.", ["choices"]))
        return []
    if not given:
        errors.add(DomainError(Code.REQUIRED, f"A {kind} field needs choices.", ["choices"]))
    seen: set[str] = set()
    for index, choice in enumerate(given):
        if not choice or len(choice) > CHOICE_MAX:
            message = f"A choice has 1 to {CHOICE_MAX} characters."
            errors.add(DomainError(Code.INVALID, message, ["choices", str(index)]))
        elif choice.casefold() in seen:
            message = f"The choice '{choice}' is given twice."
            errors.add(DomainError(Code.INVALID, message, ["choices", str(index)]))
        seen.add(choice.casefold())
    return given


def _prefixed(errors: ErrorCollector, prefix: tuple[str, ...]) -> DomainErrors:
    return DomainErrors(error.at(*prefix) for error in errors.errors)


async def define(actor: Actor | None, data: dict[str, Any]) -> CustomFieldDefinition:
    """A new definition from a CustomFieldDefinitionInput dict (camelCase, omitted left out)."""
    errors = ErrorCollector()
    key = (data.get("key") or "").strip()
    if not _KEY.match(key):
        message = "A key is a lower-case identifier: a-z first, then a-z, 0-9 or _, at most 64."
        errors.add(DomainError(Code.INVALID, message, ["key"]))
    target, kind = data.get("target"), data.get("type")
    if target not in TARGETS:
        errors.add(DomainError(Code.INVALID, "Unknown target.", ["target"]))
    if kind not in TYPES:
        errors.add(DomainError(Code.INVALID, "Unknown type.", ["type"]))
    label = group = None
    with errors.field("label"):
        label = _label(data.get("label"))
    with errors.field("group"):
        group = _group(data.get("group"))
    choices = _choices(str(kind), data.get("choices"), errors)
    if not errors and await CustomFieldDefinition.filter(target=target, key=key).exists():
        message = f"A {target} field with the key '{key}' exists."
        errors.add(DomainError(Code.CONFLICT, message, ["key"]))
    if errors:
        raise _prefixed(errors, ("input",))
    async with unit_of_work(actor) as unit:
        last = await _last_position(str(target))
        try:
            definition = await CustomFieldDefinition.create(
                id=uuid.uuid4(),
                key=key,
                label=label,
                target=target,
                type=kind,
                choices=choices,
                required=bool(data.get("required")),
                group=group,
                position=last + 1,
                created_at=unit.now,
            )
        except IntegrityError:
            message = f"A {target} field with the key '{key}' exists."
            raise DomainError(Code.CONFLICT, message, ["input", "key"]) from None
        unit.record("custom_field_definition", definition.id, None, row_state(definition))
    return definition


async def _last_position(target: str) -> int:
    rows = await CustomFieldDefinition.filter(target=target).order_by("-position").limit(1)
    return rows[0].position if rows else -1


async def update(
    actor: Actor | None, definition_id: str, data: dict[str, Any]
) -> CustomFieldDefinition:
    """Relabel, regroup, reorder, retype, change choices or (de)activate one definition.

    Only the fields given change. Stored values stay; a type or choices change converts
    them and is refused (CONFLICT) when any stored value would no longer be valid.
    """
    async with unit_of_work(actor) as unit:
        definition = await _locked(definition_id)
        before = row_state(definition)
        old = Definition.from_row(before)
        _apply(definition, data)
        new = Definition.from_row(row_state(definition))
        if new.type != old.type or new.choices != old.choices:
            await retype_values(unit, old, new)
        await definition.save()
        unit.record("custom_field_definition", definition.id, before, row_state(definition))
    return definition


async def _locked(definition_id: str) -> CustomFieldDefinition:
    try:
        uuid.UUID(str(definition_id))
    except ValueError:
        raise DomainError(Code.NOT_FOUND, "No such custom field.", ["id"]) from None
    found = await CustomFieldDefinition.select_for_update().get_or_none(id=definition_id)
    if found is None:
        raise DomainError(Code.NOT_FOUND, "No such custom field.", ["id"])
    return found


def _apply(definition: CustomFieldDefinition, data: dict[str, Any]) -> None:
    """Set the given fields on the row; every input error at once (paths under input)."""
    errors = ErrorCollector()
    if "label" in data:
        with errors.field("label"):
            definition.label = _label(data["label"])
    if "group" in data:
        with errors.field("group"):
            definition.group = _group(data["group"])
    for flag in ("required", "active"):
        if data.get(flag) is not None:
            setattr(definition, flag, bool(data[flag]))
    if data.get("position") is not None:
        definition.position = int(data["position"])
    if data.get("type") is not None:
        if data["type"] not in TYPES:
            errors.add(DomainError(Code.INVALID, "Unknown type.", ["type"]))
        else:
            definition.type = data["type"]
    choices = data.get("choices")
    if choices is None and definition.type in CHOICE_TYPES:
        choices = list(definition.choices or [])
    definition.choices = _choices(definition.type, choices, errors)
    if errors:
        raise _prefixed(errors, ("input",))
