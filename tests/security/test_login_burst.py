"""Login throttling holds under a burst of concurrent wrong passwords, on a real server.

At most RELATIEBEHEER_LOGIN_MAX_FAILURES attempts per e-mail address get as far as a
password check ("wrong password"); every other one of the burst, and then the right
password, is refused as THROTTLED. Unknown addresses are throttled alike.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from server.settings import reset_settings
from tests.factories import PASSWORD, make_employee
from tests.security.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

pytestmark = pytest.mark.slow
LIMIT = 5
BURST = 50
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  session { accessToken } errors { field code message } } }"""


async def _login(http: httpx.AsyncClient, email: str, password: str) -> str:
    """The answer's error code(s), or SESSION for a successful sign-in."""
    variables = {"e": email, "p": password}
    response = await http.post("/graphql", json={"query": LOGIN, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    if body.get("errors"):  # e.g. an unexpected error, masked as INTERNAL_SERVER_ERROR
        return "/".join(e.get("extensions", {}).get("code", "?") for e in body["errors"])
    answer = body["data"]["login"]
    if answer["session"] is not None:
        return "SESSION"
    [error] = answer["errors"]
    return str(error["code"])


async def _burst(http: httpx.AsyncClient, emails: list[str]) -> Counter[str]:
    answers = await asyncio.gather(
        *(_login(http, emails[n % len(emails)], f"Wrong-password-{n:03d}") for n in range(BURST))
    )
    return Counter(answers)


async def test_a_burst_of_wrong_passwords_gets_no_more_password_checks_than_the_limit(office):
    # On PostgreSQL two worker processes share the count (SQLite serves with one).
    workers = "2" if office.engine == "postgres" else "1"
    base, _ = await office.start(
        "--workers",
        workers,
        RELATIEBEHEER_LOGIN_MAX_FAILURES=str(LIMIT),
        RELATIEBEHEER_LOGIN_LOCK_SECONDS="300",
    )
    limits = httpx.Limits(max_connections=BURST)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        # Case and blanks do not make another address: one account, one count.
        variants = [ADMIN_EMAIL, ADMIN_EMAIL.upper(), f"  {ADMIN_EMAIL} "]
        known = await _burst(http, variants)
        right = await _login(http, ADMIN_EMAIL, ADMIN_PASSWORD)
        unknown = await _burst(http, ["niemand@kantoor.example"])

    assert known == {"INVALID": LIMIT, "THROTTLED": BURST - LIMIT}
    assert right == "THROTTLED"
    assert unknown == known
    assert "Traceback" not in office.log.read_text()


async def test_the_lock_ends_after_its_time_and_counting_starts_again(api, monkeypatch):
    monkeypatch.setenv("RELATIEBEHEER_LOGIN_MAX_FAILURES", "2")
    monkeypatch.setenv("RELATIEBEHEER_LOGIN_LOCK_SECONDS", "1")
    reset_settings()
    try:
        admin = await make_employee("ADMIN")
        email = admin.employee.email
        http = api.client
        assert [await _login(http, email, "Wrong-password-1") for _ in range(3)] == [
            "INVALID", "INVALID", "THROTTLED"
        ]  # fmt: skip
        await asyncio.sleep(1.1)
        assert await _login(http, email, "Wrong-password-2") == "INVALID"
        assert await _login(http, email, PASSWORD) == "SESSION"
        # A success clears the count: two more failures are needed for a lock.
        answers = [await _login(http, email, "Wrong-password-3") for _ in range(3)]
        assert answers == ["INVALID", "INVALID", "THROTTLED"]
    finally:
        monkeypatch.undo()
        reset_settings()
