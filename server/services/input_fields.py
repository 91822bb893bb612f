"""Reading one input block (a plain dict with camelCase keys) into column values.

`Block` knows its client path (e.g. ("input", "organisation")) and the request's
ErrorCollector, so every failure carries its full path and all failures of a request are
collected instead of stopping at the first. A key absent from the dict means "not given"
(partial updates leave that column alone); a key given as null clears the column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from tortoise.models import Model

from server.errors import Code, DomainError, ErrorCollector

Normaliser = Callable[[str], str]


def max_length(model: type[Model], column: str) -> int:
    """The column's max_length from the model (the database refuses longer text)."""
    return int(getattr(model._meta.fields_map[column], "max_length", 0) or 10_000)


class Block:
    """One input object, its client path and the request's error collector."""

    def __init__(
        self, data: Mapping[str, Any], path: tuple[str, ...], errors: ErrorCollector
    ) -> None:
        self.data = data
        self.path = path
        self.errors = errors

    def given(self, key: str) -> bool:
        return key in self.data

    def fail(self, key: str | int | None, code: Code, message: str) -> None:
        path = self.path if key is None else (*self.path, str(key))
        self.errors.add(DomainError(code, message, path))

    def child(self, key: str | int, data: Mapping[str, Any]) -> Block:
        return Block(data, (*self.path, str(key)), self.errors)

    def text(
        self, key: str, model: type[Model], column: str, *, required: bool = False
    ) -> str | None:
        """Trimmed text or None for blank; REQUIRED when blank and required, INVALID if long."""
        raw = self.data.get(key)
        value = " ".join(str(raw).split()) if raw is not None else ""
        if not value:
            if required:
                self.fail(key, Code.REQUIRED, "This field is required.")
            return None
        limit = max_length(model, column)
        if len(value) > limit:
            self.fail(key, Code.INVALID, f"At most {limit} characters.")
            return None
        return value

    def normalised(self, key: str, normalise: Normaliser) -> str | None:
        """The value through an identifiers.normalise_* function; None for null or blank."""
        raw = self.data.get(key)
        if raw is None or not str(raw).strip():
            return None
        try:
            return normalise(str(raw))
        except DomainError as error:
            self.errors.add(error.at(*self.path, key))
            return None

    def past_date(self, key: str, today: date, earliest: date) -> date | None:
        """A date that is not in the future and not before `earliest`."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str):  # services called directly (demo, imports) pass ISO text
            try:
                value = date.fromisoformat(value)
            except ValueError:
                self.fail(key, Code.INVALID, "Enter a date as YYYY-MM-DD.")
                return None
        if value > today:
            self.fail(key, Code.INVALID, "This date lies in the future.")
            return None
        if value < earliest:
            self.fail(key, Code.INVALID, f"This date lies before {earliest.isoformat()}.")
            return None
        return value

    def put(self, columns: dict[str, Any], key: str, column: str, value: Any) -> None:
        """Set `column` only when `key` was given (partial updates)."""
        if self.given(key):
            columns[column] = value
