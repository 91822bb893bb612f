"""The SQL statements Tortoise runs, as its `tortoise.db_client` logger reports them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class StatementLog(logging.Handler):
    """Every statement logged while attached: as text with its values (`statements`, one
    per execute) and as (sql, values) pairs (`executed`, e.g. to EXPLAIN them)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []
        self.executed: list[tuple[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.statements.append(record.getMessage())
        args = record.args if isinstance(record.args, tuple) else ()
        self.executed.append((str(args[0]), args[1]) if len(args) == 2 else (str(record.msg), []))


@contextmanager
def logged_statements() -> Iterator[StatementLog]:
    """The statements run inside the block."""
    logger = logging.getLogger("tortoise.db_client")
    log, level = StatementLog(), logger.level
    logger.addHandler(log)
    logger.setLevel(logging.DEBUG)
    try:
        yield log
    finally:
        logger.removeHandler(log)
        logger.setLevel(level)
