"""Real `relatiebeheer` processes on 127.0.0.1 for browser, fuzz and scale tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CLI = [sys.executable, "-m", "server.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(env: dict[str, str], *args: str, timeout: float = 120) -> None:
    """Run one `relatiebeheer` subcommand to completion; its output is shown if it fails."""
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, timeout=timeout)
    if done.returncode:
        raise AssertionError(f"relatiebeheer {args[0]} failed: {done.stderr.decode()[-2000:]}")


def start_server(
    env: dict[str, str],
    port: int,
    log: Path,
    *serve_args: str,
    started: list[subprocess.Popen[bytes]] | None = None,
) -> subprocess.Popen[bytes]:
    """`relatiebeheer serve` on `port`, returned once it answers /healthz (within 60 s).

    The process joins `started` at once, so that a caller stops it even if it never answers.
    """
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*CLI, "serve", "--port", str(port), *serve_args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if started is not None:
        started.append(process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server on {port} exited: {log.read_text()[-4000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    process.wait(timeout=10)
    raise AssertionError(f"the server on {port} did not start: {log.read_text()[-4000:]}")


def stop_servers(processes: list[subprocess.Popen[bytes]]) -> None:
    """Terminate, then wait (kill after 30 s): no process outlives its test."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def gql(base: str, query: str, variables: dict[str, Any], token: str = "") -> Any:
    """POST one operation; asserts no top-level errors and returns the first field's value."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.post(
            f"{base}/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return next(iter(body["data"].values()))


def serve_demo_office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`relatiebeheer serve` on a free port with the demo office; yields its base URL."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = free_port()
    env = {
        **os.environ,
        "RELATIEBEHEER_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'e2e.sqlite3'}",
        "RELATIEBEHEER_ISSUER": f"http://127.0.0.1:{port}",
        "RELATIEBEHEER_BACKGROUND_WORKERS": "0",
    }
    run_cli(env, "seed-demo", timeout=300)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        start_server(env, port, data_dir / "server.log", started=processes)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_servers(processes)
