"""Each type's rule for values, its filter keys, and conversion on a type change."""

from __future__ import annotations

from typing import Any

import pytest

from server.errors import DomainError
from server.services.custom_field_types import (
    Definition,
    clean_value,
    convert,
    filter_key,
    index_keys,
)

CHOICES = ("Melkvee", "Akkerbouw", "Varkens")


def definition(type: str, choices: tuple[str, ...] = ()) -> Definition:
    return Definition("d1", "veld", "Veld", "RELATION", type, choices, False, True)


@pytest.mark.parametrize(
    ("type", "raw", "stored"),
    [
        ("TEXT", "  Biologisch  ", "Biologisch"),
        ("TEXT", "   ", None),
        ("NUMBER", 12, 12),
        ("NUMBER", 12.5, 12.5),
        ("NUMBER", -3, -3),
        ("DATE", "2024-02-29", "2024-02-29"),
        ("BOOLEAN", False, False),
        ("CHOICE", "Akkerbouw", "Akkerbouw"),
        ("MULTI_CHOICE", ["Varkens", "Melkvee"], ["Melkvee", "Varkens"]),
        ("MULTI_CHOICE", [], None),
        ("TEXT", None, None),
        ("MULTI_CHOICE", None, None),
    ],
)
def test_a_valid_value_is_stored_in_the_json_form_of_its_type(type, raw, stored):
    assert clean_value(definition(type, CHOICES), raw) == stored


@pytest.mark.parametrize(
    ("type", "raw"),
    [
        ("TEXT", 12),
        ("TEXT", "x" * 2001),
        ("NUMBER", "12"),
        ("NUMBER", True),
        ("NUMBER", float("nan")),
        ("NUMBER", float("inf")),
        ("DATE", "29-02-2024"),
        ("DATE", "2023-02-29"),
        ("DATE", "20240229"),
        ("DATE", 20240229),
        ("BOOLEAN", "true"),
        ("BOOLEAN", 1),
        ("CHOICE", "melkvee"),
        ("CHOICE", ["Melkvee"]),
        ("MULTI_CHOICE", "Melkvee"),
        ("MULTI_CHOICE", ["Melkvee", "Melkvee"]),
        ("MULTI_CHOICE", ["Melkvee", "Geiten"]),
        ("MULTI_CHOICE", [1]),
    ],
)
def test_a_value_of_the_wrong_form_is_invalid(type, raw):
    with pytest.raises(DomainError) as refused:
        clean_value(definition(type, CHOICES), raw)
    assert refused.value.code == "INVALID"
    assert refused.value.message.startswith("'veld' takes ")


@pytest.mark.parametrize(
    ("type", "value", "keys"),
    [
        ("TEXT", "Biologisch  Dynamisch", ["biologisch dynamisch"]),
        ("NUMBER", 12, ["12"]),
        ("NUMBER", 12.0, ["12"]),
        ("NUMBER", 12.50, ["12.5"]),
        ("NUMBER", 1e20, ["100000000000000000000"]),
        ("NUMBER", -0.0, ["0"]),
        ("DATE", "2024-02-29", ["2024-02-29"]),
        ("BOOLEAN", True, ["true"]),
        ("CHOICE", "Akkerbouw", ["Akkerbouw"]),
        (
            "MULTI_CHOICE",
            ["Melkvee", "Akkerbouw"],
            ["c:Melkvee", "c:Akkerbouw", 's:["Akkerbouw","Melkvee"]'],
        ),
    ],
)
def test_filter_keys_are_canonical_per_type(type, value, keys):
    assert index_keys(type, value) == keys


def test_a_long_text_gets_a_hashed_key_that_still_matches_its_filter():
    text = "lang " * 100
    [key] = index_keys("TEXT", text.strip())
    assert key.startswith("#") and len(key) == 65
    assert filter_key(definition("TEXT"), text.upper()) == key


def test_a_multi_choice_filter_takes_one_choice_or_the_whole_set_in_any_order():
    multi = definition("MULTI_CHOICE", CHOICES)
    assert filter_key(multi, "Varkens") == "c:Varkens"
    assert filter_key(multi, ["Varkens", "Melkvee"]) == 's:["Melkvee","Varkens"]'
    with pytest.raises(DomainError):
        filter_key(multi, "Geiten")
    with pytest.raises(DomainError):
        filter_key(multi, [])


@pytest.mark.parametrize(
    ("old_type", "value", "new_type", "choices", "converted"),
    [
        ("TEXT", "12", "NUMBER", (), 12),
        ("TEXT", " 12.50 ", "NUMBER", (), 12.5),
        ("TEXT", "True", "BOOLEAN", (), True),
        ("TEXT", "2024-01-31", "DATE", (), "2024-01-31"),
        ("TEXT", "Melkvee", "CHOICE", CHOICES, "Melkvee"),
        ("NUMBER", 12.5, "TEXT", (), "12.5"),
        ("BOOLEAN", False, "TEXT", (), "false"),
        ("CHOICE", "Varkens", "MULTI_CHOICE", CHOICES, ["Varkens"]),
        ("MULTI_CHOICE", ["Varkens"], "CHOICE", CHOICES, "Varkens"),
        ("MULTI_CHOICE", ["Varkens"], "TEXT", (), "Varkens"),
    ],
)
def test_a_type_change_converts_a_value_that_fits(old_type, value, new_type, choices, converted):
    result: Any = convert(value, old_type, definition(new_type, choices))
    assert result == converted
    assert type(result) is type(converted)


@pytest.mark.parametrize(
    ("old_type", "value", "new_type", "choices"),
    [
        ("TEXT", "twaalf", "NUMBER", ()),
        ("TEXT", "ja", "BOOLEAN", ()),
        ("TEXT", "31-01-2024", "DATE", ()),
        ("TEXT", "Geiten", "CHOICE", CHOICES),
        ("MULTI_CHOICE", ["Melkvee", "Varkens"], "CHOICE", CHOICES),
        ("DATE", "2024-01-31", "NUMBER", ()),
    ],
)
def test_a_type_change_refuses_a_value_that_does_not_fit(old_type, value, new_type, choices):
    with pytest.raises(DomainError):
        convert(value, old_type, definition(new_type, choices))
