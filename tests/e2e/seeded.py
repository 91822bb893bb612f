"""A seeded demo office, built once per version of the server code and copied per run.

Seeding the demo office takes most of a browser-test run. The seeded data folder (database,
secret key for the BSNs, signing keys) depends only on the server's code, so it is kept
under the system's temp folder, keyed by a hash of server/, and copied into each run's own
folder; `seed-demo` then finds the relations present and adds nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(tempfile.gettempdir()) / "relatiebeheer-e2e"
DATABASE = "e2e.sqlite3"  # the name tests/live.py gives the database in its data folder


def code_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "server").rglob("*")):
        if path.is_file() and path.suffix in {".py", ".graphql", ".sql"}:
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def seeded_template() -> Path:
    """The folder holding a freshly seeded demo office for the current server code."""
    template = CACHE / f"demo-{code_hash()}"
    if template.is_dir():
        return template
    CACHE.mkdir(mode=0o700, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix="build-", dir=CACHE))
    env = {
        **os.environ,
        "RELATIEBEHEER_DATA_DIR": str(build),
        "DATABASE_URL": f"sqlite:///{build / DATABASE}",
        "RELATIEBEHEER_BACKGROUND_WORKERS": "0",
    }
    subprocess.run(
        [sys.executable, "-m", "server.cli", "seed-demo"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
        cwd=ROOT,
    )
    try:
        build.rename(template)  # atomic: a concurrent run either sees all of it or nothing
    except OSError:
        shutil.rmtree(build, ignore_errors=True)  # another run finished first
    for old in CACHE.glob("demo-*"):
        if old != template:
            shutil.rmtree(old, ignore_errors=True)
    return template


class SeededTempFactory:
    """A TempPathFactory whose `e2e-data` folders start as a copy of the seeded template."""

    def __init__(self, factory: pytest.TempPathFactory, template: Path) -> None:
        self.factory = factory
        self.template = template
        self.folders: list[Path] = []

    def mktemp(self, basename: str, numbered: bool = True) -> Path:
        folder = self.factory.mktemp(basename, numbered)
        shutil.copytree(self.template, folder, dirs_exist_ok=True)
        self.folders.append(folder)
        return folder
