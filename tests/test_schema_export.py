"""The committed schema.graphql is the live schema, and it keeps the public contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from server.schema import build_schema

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT.parent / "shared" / "contract"


def test_committed_schema_equals_the_live_schema():
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == build_schema().as_str() + "\n", (
        "schema.graphql is stale: run `relatiebeheer export-schema` and commit it"
    )


@pytest.mark.skipif(not (CONTRACT / "check.py").exists(), reason="contract not beside the repo")
def test_live_schema_breaks_nothing_in_the_contract(tmp_path):
    exported = tmp_path / "schema.graphql"
    exported.write_text(build_schema().as_str() + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(CONTRACT / "check.py"), "--partial", str(exported)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
