"""Benchmarks (not tests): see bench/README.md.

Every `python -m bench.…` process of a run must use the same data directory: the BSN key
that bench.generate encrypts with is the one the server decrypts with, and the signing keys
must be the same for every server. Unless the caller chose one, that is /tmp/rb-bench/data,
never the project's ./data.
"""

import os
from pathlib import Path

CHOSEN_DATA_DIR = "RELATIEBEHEER_DATA_DIR" in os.environ  # by the caller
DATA_DIR = Path(os.environ.setdefault("RELATIEBEHEER_DATA_DIR", "/tmp/rb-bench/data"))
