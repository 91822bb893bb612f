"""A real `relatiebeheer serve` on 127.0.0.1 for the benchmarks: start, sign in, RSS, stop.

The benchmark user is an employee created once per data set (`ensure_user`); every process
of a run shares one data directory, so signing keys and the BSN key are the same in all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.live import free_port  # one copy of the helper

BENCH_EMAIL = "bench@kantoor.example"
BENCH_PASSWORD = "Bench-Correct-Horse-42"
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  session { accessToken } errors { code message } } }"""


def bench_env(url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "RELATIEBEHEER_DATA_DIR": str(data_dir),
        "RELATIEBEHEER_LOG_LEVEL": "WARNING",
        # The benchmark signs in many times per run from one address.
        "RELATIEBEHEER_LOGIN_MAX_FAILURES": "1000",
        **extra,
    }


async def ensure_user() -> None:
    """The benchmark's MANAGER account (Tortoise must be initialised)."""
    from server.models import Employee
    from server.services import staff

    if not await Employee.exists(email=BENCH_EMAIL):
        data = {"name": "Bench Manager", "email": BENCH_EMAIL, "role": "MANAGER",
                "password": BENCH_PASSWORD}  # fmt: skip
        await staff.create_employee(None, data)


@dataclass
class Server:
    """A running server: its base URL, process and log file."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def graphql(self) -> str:
        return f"{self.base}/graphql"

    def pids(self) -> list[int]:
        """The server process and its worker processes (uvicorn --workers)."""
        return [self.process.pid, *children(self.process.pid)]

    def rss_mib(self) -> float:
        return sum(rss_kib(pid) for pid in self.pids()) / 1024

    def login(self) -> str:
        variables = {"e": BENCH_EMAIL, "p": BENCH_PASSWORD}
        response = httpx.post(
            self.graphql, json={"query": LOGIN, "variables": variables}, timeout=30
        )
        body = response.json()
        session = body["data"]["login"]["session"]
        if not session:
            raise RuntimeError(f"login failed: {body}")
        return str(session["accessToken"])


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            text = (task / "children").read_text()
        except OSError:
            continue
        for child in text.split():
            found += [int(child), *children(int(child))]
    return found


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@contextmanager
def serve(url: str, data_dir: Path, workers: int = 1, **extra: str) -> Iterator[Server]:
    """`relatiebeheer serve --workers N` on a free port until the block ends."""
    port = free_port()
    env = bench_env(url, data_dir, RELATIEBEHEER_ISSUER=f"http://127.0.0.1:{port}", **extra)
    log = data_dir / f"server-{port}.log"
    command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_healthy(server, workers)
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_healthy(server: Server, workers: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited: {server.log.read_text()[-2000:]}")
        try:
            healthy = httpx.get(f"{server.base}/healthz", timeout=2).status_code == 200
            # With several workers, wait until each has been started, then a moment more.
            if healthy and len(children(server.process.pid)) >= (workers if workers > 1 else 0):
                time.sleep(3 if workers > 1 else 0)
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server did not start: {server.log.read_text()[-2000:]}")
