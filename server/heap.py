"""The collector and the objects a server process keeps for its whole life."""

from __future__ import annotations

import gc


def settle() -> None:
    """Take everything made at start-up out of the cyclic collector's walks.

    The schema, the ORM's models and the imported modules are some 100,000 objects that
    live as long as the process. A full collection walks every one of them (about 50 ms on
    the benchmark machine), and a request's garbage brings one about every few dozen
    requests: that was the p99 of a search. Frozen (gc.freeze, as Python advises for
    long-running servers), a full collection walks only what requests made since.
    """
    gc.collect()
    gc.freeze()
