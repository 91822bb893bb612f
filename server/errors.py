"""Expected failures of the domain: a stable code, a message and the input path at fault.

Services raise `DomainError` (one failure) or `DomainErrors` (several, reported together);
resolvers turn them into the payload's `errors: [UserError!]!` after the transaction has
been rolled back, so a mutation with errors never writes anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum


class Code(StrEnum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    CYCLE = "CYCLE"
    LIMIT = "LIMIT"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    THROTTLED = "THROTTLED"
    INVALID_BSN = "INVALID_BSN"
    INVALID_RSIN = "INVALID_RSIN"
    INVALID_KVK = "INVALID_KVK"
    INVALID_ESTABLISHMENT_NUMBER = "INVALID_ESTABLISHMENT_NUMBER"
    INVALID_VAT_NUMBER = "INVALID_VAT_NUMBER"
    INVALID_PAYROLL_TAX_NUMBER = "INVALID_PAYROLL_TAX_NUMBER"
    INVALID_POSTAL_CODE = "INVALID_POSTAL_CODE"
    INVALID_PHONE = "INVALID_PHONE"
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_IBAN = "INVALID_IBAN"
    INVALID_URL = "INVALID_URL"
    WEAK_PASSWORD = "WEAK_PASSWORD"


class DomainError(Exception):
    """One expected failure: a stable code, a message, the input path (e.g. input.person.bsn)."""

    def __init__(self, code: Code | str, message: str, field: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = message
        self.field = [str(part) for part in field]

    def at(self, *prefix: str) -> DomainError:
        """The same error with its field path prefixed (e.g. by `input`)."""
        return DomainError(self.code, self.message, [*prefix, *self.field])

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r}, {self.field!r})"


class DomainErrors(Exception):
    """Several failures of one request, reported together."""

    def __init__(self, errors: Iterable[DomainError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(e.message for e in self.errors))


class ErrorCollector:
    """Collects the failures of one request so that all of them are reported at once.

    Usage:
        errors = ErrorCollector()
        with errors.field("input", "email"):
            email = normalise_email(raw)
        errors.raise_if_any()
    """

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def add(self, error: DomainError) -> None:
        self.errors.append(error)

    def field(self, *path: str) -> _Capture:
        return _Capture(self, path)

    def raise_if_any(self) -> None:
        if self.errors:
            raise DomainErrors(self.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)


class _Capture:
    def __init__(self, collector: ErrorCollector, path: Sequence[str]) -> None:
        self.collector = collector
        self.path = tuple(path)

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, DomainError):
            self.collector.add(exc.at(*self.path) if not exc.field else exc)
            return True
        if isinstance(exc, DomainErrors):
            self.collector.errors.extend(exc.errors)
            return True
        return False
