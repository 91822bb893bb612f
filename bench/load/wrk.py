"""Run wrk (Debian's package) with one of our Lua scripts and read back its summary.

The scripts print one `RESULT {json}` line from wrk's done() hook: request count, latency
percentiles (wrk's own histogram, microseconds), socket errors, non-200 answers, GraphQL
errors and refused edits. Latencies above `timeout` would be dropped by wrk, so the
timeout is long and any timeout is reported as an error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def ensure_wrk() -> str:
    """The wrk binary; installs Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    install = ["apt-get", "install", "-y", "--no-install-recommends", "wrk"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, capture_output=True, env=env, check=False).returncode:
        # A fresh machine may have no package lists yet.
        subprocess.run(["apt-get", "update"], capture_output=True, env=env, check=False)
        subprocess.run(install, capture_output=True, env=env, check=False)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and apt-get could not install it")
    return found


def version() -> str:
    done = subprocess.run([ensure_wrk(), "-v"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).splitlines()[0].split(" Copyright")[0]


def run(
    url: str,
    script: str,
    data_file: Path,
    *,
    connections: int = 64,
    seconds: int = 60,
    threads: int = 2,
    timeout: str = "60s",
    rss: Callable[[], float] | None = None,
) -> dict[str, Any]:
    """wrk -tT -cC -dDs against `url` with bench/load/<script>.lua; the parsed summary."""
    command = [
        ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
        f"--timeout={timeout}", "-s", str(HERE / f"{script}.lua"), url, "--", str(data_file),
    ]  # fmt: skip
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while rss is not None and not stop.is_set():
            peak[0] = max(peak[0], rss())
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 300)
    finally:
        stop.set()
        sampler.join()
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(line[len("RESULT ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    counted = ("connect", "read", "write", "timeout", "non200", "gql_errors", "user_errors",
               "missing")  # fmt: skip
    result["errors"] = sum(result[k] for k in counted)
    result["command"] = " ".join(["wrk", *command[1:4], command[4], "-s",
                                  f"bench/load/{script}.lua", url, "-- data.lua"])  # fmt: skip
    if rss is not None:
        result["peak_rss_mib"] = peak[0]
    return result


def row(label: str, result: dict[str, Any]) -> str:
    """A Markdown table row: label, requests, req/s, p50, p90, p99, max, errors."""
    if result.get("failed"):
        return f"| {label} | failed: {result['failed'][:200]} |||||||"
    if not result["requests"]:
        return f"| {label} | 0 | 0 | no request finished in the run ||||  {result['errors']} |"
    return (
        f"| {label} | {result['requests']} | {result['rps']:.1f} "
        f"| {result['p50_us'] / 1000:.1f} ms | {result['p90_us'] / 1000:.1f} ms "
        f"| {result['p99_us'] / 1000:.1f} ms | {result['max_us'] / 1000:.0f} ms "
        f"| {result['errors']} |"
    )


HEADER = (
    "| run | requests | req/s | p50 | p90 | p99 | max | errors |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|"
)
