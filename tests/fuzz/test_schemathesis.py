"""Schemathesis in GraphQL mode against the running server, signed in: no 5xx, no unhandled error.

Schemathesis lives in its own virtualenv (.venv-fuzz, made by tests/run.sh): caldav 3 pulls in
urllib3-future, which breaks the requests-based schemathesis in the same environment.

A run fails on a 5xx (`not_a_server_error`), on a 200 answer carrying an error the server did
not handle (`no_unhandled_error` in schemathesis_hooks.py: extensions.code
INTERNAL_SERVER_ERROR), on an answer that says we are no longer signed in (which would make
the rest of the run vacuous), and on any error or traceback in the server's log during the run.
IDs are aimed at the demo office's own things as often as not (see schemathesis_hooks.py).

RELATIEBEHEER_FUZZ_EXAMPLES sets the examples per operation; CI runs the default, 6 (a fixed
seed, about 280 operations in total, under a minute). A long run, e.g. for an audit:

    RELATIEBEHEER_FUZZ_EXAMPLES=30 .venv/bin/python -m pytest -q tests/fuzz -s

(with 47 operations in the schema: about 1,400 generated operations; -s prints the summary).
"""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from graphql import build_schema

from server.services.demo import DEMO_PASSWORD
from tests.live import serve_demo_office

ROOT = Path(__file__).resolve().parents[2]
ST = ROOT / ".venv-fuzz" / "bin" / "st"
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  session { accessToken } errors { code } } }"""
KNOWN = """{ relations(first: 30) { edges { node { id contacts { id } partnership { id }
  links { id } participations { id } staff { id } appointments { id } accounts { id }
  snapshots { id } } } } employees(activeOnly: false) { id }
  customFieldDefinitions(includeInactive: true) { id } linkedSystems { id } }"""
# What the server writes when something escaped the handlers: MaskUnexpectedErrors' line
# (server/schema/extensions.py), uvicorn's "Exception in ASGI application", any traceback.
TROUBLE = re.compile(r"^\S+ \S+ (ERROR|CRITICAL) |^(ERROR|CRITICAL):|^Traceback ", re.MULTILINE)

pytestmark = pytest.mark.skipif(not ST.exists(), reason="schemathesis not installed (tests/run.sh)")

live_server = pytest.fixture(scope="module")(serve_demo_office)


@pytest.fixture(scope="module")
def token(live_server: str) -> Iterator[str]:
    response = httpx.post(
        f"{live_server}/graphql",
        json={"query": LOGIN, "variables": {"e": "anna@demo-kantoor.nl", "p": DEMO_PASSWORD}},
        timeout=10,
    )
    yield response.json()["data"]["login"]["session"]["accessToken"]


def _known_ids(base: str, token: str) -> list[str]:
    """Ids of things in the demo office, for the fuzzer to aim at (see schemathesis_hooks.py)."""
    response = httpx.post(
        f"{base}/graphql",
        json={"query": KNOWN},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    ids = sorted(set(re.findall(r'"id": ?"([^"]+)"', response.text)))
    assert len(ids) > 100, response.text[:2000]
    return ids


def _server_log(tmp_path_factory: pytest.TempPathFactory, base: str) -> Path:
    """The log serve_demo_office writes (data dir / server.log) of the server at `base`."""
    for log in sorted(tmp_path_factory.getbasetemp().glob("e2e-data*/server.log")):
        if f"running on {base} " in log.read_text(errors="replace"):
            return log
    raise AssertionError(f"no server.log of {base}")


def _operations() -> int:
    schema = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    assert schema.query_type is not None and schema.mutation_type is not None
    return len(schema.query_type.fields) + len(schema.mutation_type.fields)


def test_generated_operations_never_get_a_server_error(
    live_server: str, token: str, tmp_path, tmp_path_factory
):
    examples = os.environ.get("RELATIEBEHEER_FUZZ_EXAMPLES", "6")
    log = _server_log(tmp_path_factory, live_server)
    logged_before = log.stat().st_size
    report, ids = tmp_path / "junit.xml", tmp_path / "ids.txt"
    ids.write_text("\n".join(_known_ids(live_server, token)))
    result = subprocess.run(
        [
            str(ST),
            "run",
            f"{live_server}/graphql",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "not_a_server_error,no_unhandled_error,stays_signed_in",
            "--max-examples",
            examples,
            "--seed",
            "20261127",
            "--workers",
            "1",
            "--phases",
            "fuzzing",  # GraphQL has no examples or coverage phase in schemathesis 4
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=3000,
        check=False,
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": str(HOOKS),
            "RELATIEBEHEER_FUZZ_IDS_FILE": str(ids),
        },
    )
    summary = result.stdout[-6000:] + result.stderr[-2000:]
    print(summary)
    logged = log.read_bytes()[logged_before:].decode(errors="replace")
    trouble = TROUBLE.search(logged)
    assert trouble is None, logged[max(0, trouble.start() - 200) : trouble.start() + 6000]
    assert result.returncode == 0, summary
    assert re.search(r"\d+ generated, \d+ passed", result.stdout), summary
    tested = int(ET.parse(report).getroot().attrib["tests"])
    assert tested == _operations(), f"only {tested} operations were fuzzed\n{summary}"
