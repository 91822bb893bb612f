"""The six custom field types: validating a value, its filter keys, converting on a type change.

Values are stored in the JSON form of their type (the API's form):
  TEXT          a string, trimmed; an empty string clears the value
  NUMBER        a JSON number (int or float), finite
  DATE          an ISO date string, yyyy-mm-dd
  BOOLEAN       a JSON boolean
  CHOICE        one of the definition's choices, exactly
  MULTI_CHOICE  a list of distinct choices, stored in the definition's order; [] clears

Filter keys (rows of custom_field_value_key, indexed on (definition_id, key)) are canonical
strings so that equality is one index lookup:
  TEXT          whitespace collapsed and case-folded: TEXT equality is case-insensitive
  NUMBER        the plain decimal form without trailing zeros: 12, 12.0 and 12.00 -> "12"
  DATE          the ISO date;  BOOLEAN "true" / "false";  CHOICE the choice itself
  MULTI_CHOICE  one "c:<choice>" row per choice (contains) and one "s:<sorted JSON list>" row
                for the whole set (equals)
A key longer than KEY_MAX is replaced by "#" + its SHA-256, so any value fits the column.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from server.errors import Code, DomainError

TYPES = ("TEXT", "NUMBER", "DATE", "BOOLEAN", "CHOICE", "MULTI_CHOICE")
CHOICE_TYPES = frozenset({"CHOICE", "MULTI_CHOICE"})
TARGETS = ("RELATION", "CONTACT_PERSON")
TEXT_MAX = 2000
KEY_MAX = 200
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Definition:
    """A custom field definition as the value logic needs it."""

    id: str
    key: str
    label: str
    target: str
    type: str
    choices: tuple[str, ...]
    required: bool
    active: bool

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Definition:
        return cls(
            id=str(row["id"]),
            key=row["key"],
            label=row["label"],
            target=row["target"],
            type=row["type"],
            choices=tuple(row["choices"] or ()),
            required=bool(row["required"]),
            active=bool(row["active"]),
        )


def _invalid(definition: Definition, expects: str) -> DomainError:
    return DomainError(Code.INVALID, f"'{definition.key}' takes {expects}.")


def clean_value(definition: Definition, raw: Any) -> Any:
    """The value to store for `raw` (None clears); DomainError(INVALID) without a path."""
    if raw is None:
        return None
    kind = definition.type
    if kind == "TEXT":
        return _clean_text(definition, raw)
    if kind == "NUMBER":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise _invalid(definition, "a number")
        if isinstance(raw, float) and not math.isfinite(raw):
            raise _invalid(definition, "a finite number")
        return raw
    if kind == "DATE":
        if not isinstance(raw, str) or not _is_iso_date(raw):
            raise _invalid(definition, "a date as yyyy-mm-dd")
        return raw
    if kind == "BOOLEAN":
        if not isinstance(raw, bool):
            raise _invalid(definition, "true or false")
        return raw
    if kind == "CHOICE":
        if not isinstance(raw, str) or raw not in definition.choices:
            raise _invalid(definition, f"one of: {', '.join(definition.choices)}")
        return raw
    return _clean_multi(definition, raw)


def _clean_text(definition: Definition, raw: Any) -> str | None:
    if not isinstance(raw, str):
        raise _invalid(definition, "text")
    text = raw.strip()
    if len(text) > TEXT_MAX:
        raise _invalid(definition, f"at most {TEXT_MAX} characters")
    return text or None


def _clean_multi(definition: Definition, raw: Any) -> list[str] | None:
    expects = f"a list of distinct choices from: {', '.join(definition.choices)}"
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise _invalid(definition, expects)
    if len(set(raw)) != len(raw) or not set(raw) <= set(definition.choices):
        raise _invalid(definition, expects)
    chosen = set(raw)
    return [choice for choice in definition.choices if choice in chosen] or None


def _is_iso_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def number_text(value: int | float) -> str:
    """The canonical decimal form of a number: no exponent, no trailing zeros."""
    number = Decimal(str(value))
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def _fit(key: str) -> str:
    if len(key) <= KEY_MAX:
        return key
    return "#" + hashlib.sha256(key.encode()).hexdigest()


def _set_key(choices: list[str]) -> str:
    return _fit("s:" + json.dumps(sorted(choices), ensure_ascii=False, separators=(",", ":")))


def index_keys(kind: str, value: Any) -> list[str]:
    """The filter keys of a stored value (see the module docstring)."""
    if value is None:
        return []
    if kind == "MULTI_CHOICE":
        return [_fit("c:" + choice) for choice in value] + [_set_key(list(value))]
    return [_fit(_scalar_text(kind, value, fold=True))]


def _scalar_text(kind: str, value: Any, *, fold: bool = False) -> str:
    if kind == "NUMBER":
        return number_text(value)
    if kind == "BOOLEAN":
        return "true" if value else "false"
    if kind == "TEXT" and fold:
        return " ".join(value.split()).casefold()
    return str(value)


def filter_key(definition: Definition, raw: Any) -> str:
    """The one key a filter value must match; a MULTI_CHOICE takes a choice or a list."""
    if definition.type == "MULTI_CHOICE" and isinstance(raw, str):
        if raw not in definition.choices:
            raise _invalid(definition, f"one of: {', '.join(definition.choices)}")
        return _fit("c:" + raw)
    value = clean_value(definition, raw)
    if value is None:
        raise DomainError(Code.INVALID, "Give the value the field must equal.")
    if definition.type == "MULTI_CHOICE":
        return _set_key(value)
    return index_keys(definition.type, value)[0]


def convert(value: Any, old_type: str, new: Definition) -> Any:
    """A stored value of `old_type` in the form of the `new` definition (type and choices).

    Goes through the value's text form: "12" may become the number 12, "true" a boolean,
    a choice a one-element list. Raises DomainError(INVALID) when it cannot.
    """
    texts = list(value) if old_type == "MULTI_CHOICE" else [_scalar_text(old_type, value)]
    if new.type == "MULTI_CHOICE":
        return clean_value(new, texts)
    if len(texts) != 1:
        raise _invalid(new, "a single value")
    return clean_value(new, _parse_text(texts[0], new))


def _parse_text(text: str, new: Definition) -> Any:
    if new.type == "NUMBER":
        try:
            number = Decimal(text.strip())
        except InvalidOperation:
            raise _invalid(new, "a number") from None
        if not number.is_finite():
            raise _invalid(new, "a finite number")
        return int(number) if number == number.to_integral_value() else float(number)
    if new.type == "BOOLEAN":
        folded = text.strip().casefold()
        if folded not in {"true", "false"}:
            raise _invalid(new, "true or false")
        return folded == "true"
    return text
