"""The cockpit sends the contract's operations exactly as written (no browser needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from server.schema import get_schema

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT.parent / "shared" / "contract" / "operations"
QUERIES = ROOT / "frontend-static" / "queries.js"


def cockpit_operation(name: str) -> str:
    match = re.search(rf"export const {name} = `(.*?)`;", QUERIES.read_text(), re.S)
    assert match is not None, name
    return match.group(1)


@pytest.mark.parametrize(
    ("constant", "file"),
    [("RELATION_CARD", "RelationCard.graphql"), ("RELATION_SEARCH", "RelationSearch.graphql")],
)
def test_the_cockpit_sends_the_contracts_operation_verbatim(constant: str, file: str) -> None:
    if not OPERATIONS.is_dir():
        pytest.skip("the shared contract is not next to the project")
    assert cockpit_operation(constant) == (OPERATIONS / file).read_text()


def cockpit_operations() -> list[tuple[str, str]]:
    text = QUERIES.read_text().replace("${USER_ERRORS}", "errors { field code message }")
    return re.findall(r"export const (\w+) = `(.*?)`;", text, re.S)


def test_every_operation_of_the_cockpit_is_valid_against_the_servers_schema() -> None:
    schema = build_schema(get_schema().as_str())
    problems = {
        name: [error.message for error in validate(schema, parse(text))]
        for name, text in cockpit_operations()
    }
    assert len(problems) == 13
    assert {name: errors for name, errors in problems.items() if errors} == {}
