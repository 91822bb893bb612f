"""Schemathesis in GraphQL mode against the running server, signed in: no 5xx, ever.

Schemathesis lives in its own virtualenv (.venv-fuzz, made by tests/run.sh): caldav 3 pulls in
urllib3-future, which breaks the requests-based schemathesis in the same environment.
RELATIEBEHEER_FUZZ_EXAMPLES sets examples per operation (CI: a bounded run with a fixed seed).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.services.demo import DEMO_PASSWORD
from tests.live import serve_demo_office

ROOT = Path(__file__).resolve().parents[2]
ST = ROOT / ".venv-fuzz" / "bin" / "st"
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  session { accessToken } errors { code } } }"""

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


def test_generated_operations_never_get_a_server_error(live_server: str, token: str, tmp_path):
    examples = os.environ.get("RELATIEBEHEER_FUZZ_EXAMPLES", "15")
    report = tmp_path / "junit.xml"
    result = subprocess.run(
        [
            str(ST),
            "run",
            f"{live_server}/graphql",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            examples,
            "--seed",
            "20261127",
            "--workers",
            "1",
            "--phases",
            "examples,fuzzing",
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": str(Path(__file__).with_name("schemathesis_hooks.py")),
        },
    )
    summary = result.stdout[-4000:] + result.stderr[-2000:]
    assert result.returncode == 0, summary
    assert "passed" in result.stdout.lower(), summary
