"""A real `relatiebeheer serve` process on 127.0.0.1 for browser and fuzz tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_demo_office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`relatiebeheer serve` on a free port with the demo office; yields its base URL."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    env = {
        **os.environ,
        "RELATIEBEHEER_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'e2e.sqlite3'}",
        "RELATIEBEHEER_ISSUER": f"http://127.0.0.1:{port}",
        "RELATIEBEHEER_BACKGROUND_WORKERS": "0",
    }
    exe = [sys.executable, "-m", "server.cli"]
    subprocess.run([*exe, "seed-demo"], env=env, check=True, capture_output=True, timeout=300)
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [*exe, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError((data_dir / "server.log").read_text())
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
