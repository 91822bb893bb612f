"""Office staff: sign-in (with throttling) and creating employees."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from server.auth import passwords
from server.auth.permissions import Actor, Role
from server.auth.tokens import issue_access_token
from server.errors import Code, DomainError, ErrorCollector
from server.models import Employee, LoginThrottle
from server.services.identifiers import normalise_email
from server.services.unit import row_state, unit_of_work, utcnow
from server.settings import get_settings

INVALID_LOGIN = "E-mail address or password is incorrect."


@dataclass(frozen=True)
class Session:
    access_token: str
    expires_at: datetime
    employee: dict[str, Any]


def _throttle_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


async def login(email: str, password: str) -> Session:
    """Verify credentials; unknown e-mail and wrong password answer alike (text and time)."""
    key = _throttle_key(email)
    if not await _claim_attempt(key, utcnow()):
        raise DomainError(
            Code.THROTTLED, "Too many failed sign-in attempts; try again later.", ["email"]
        )
    employee = await Employee.get_or_none(email=email.strip().lower(), active=True)
    if employee is None:
        passwords.burn_verify(password)
        ok = False
    else:
        ok = passwords.verify_password(employee.password_hash, password)
    if not ok:
        raise DomainError(Code.INVALID, INVALID_LOGIN, ["password"])
    assert employee is not None
    await LoginThrottle.filter(key=key).delete()
    if passwords.needs_rehash(employee.password_hash):
        employee.password_hash = passwords.hash_password(password)
        await employee.save(update_fields=["password_hash"])
    token, expires = issue_access_token(str(employee.id), employee.role, employee.name)
    return Session(token, expires, employee_row(employee))


async def _claim_attempt(key: str, now: datetime) -> bool:
    """Count an attempt as failed *before* its password is checked; False while locked.

    Counting first, in one transaction with the row locked, is what holds under a burst: of
    many concurrent attempts at most `login_max_failures` get a password check before the
    lock, and a success clears the count afterwards. (Counting after the check let every
    attempt of a burst read the same count, and the racing first INSERTs failed.)
    """
    settings = get_settings()
    async with in_transaction():
        await LoginThrottle.bulk_create(
            [LoginThrottle(key=key, failures=0, updated_at=now)], ignore_conflicts=True
        )
        throttle = await LoginThrottle.select_for_update().get(key=key)
        if throttle.locked_until is not None:
            if throttle.locked_until > now:
                return False
            throttle.locked_until, throttle.failures = None, 0
        throttle.failures += 1
        throttle.updated_at = now
        if throttle.failures >= settings.login_max_failures:
            throttle.locked_until = now + timedelta(seconds=settings.login_lock_seconds)
        await throttle.save()
    return True


def employee_row(employee: Employee) -> dict[str, Any]:
    return {
        "id": employee.id,
        "name": employee.name,
        "email": employee.email,
        "role": employee.role,
        "active": employee.active,
    }


async def create_employee(actor: Actor | None, data: dict[str, Any]) -> Employee:
    """A new employee; refuses a weak password, a bad or already used e-mail address."""
    errors = ErrorCollector()
    name = (data.get("name") or "").strip()
    if not name:
        errors.add(DomainError(Code.REQUIRED, "Name is required.", ["input", "name"]))
    email = ""
    with errors.field("input", "email"):
        email = normalise_email(data.get("email") or "").lower()
    role = data.get("role") or ""
    if role not in Role.__members__:
        errors.add(DomainError(Code.INVALID, "Unknown role.", ["input", "role"]))
    with errors.field("input", "password"):
        passwords.check_password_strength(data.get("password") or "")
    if email and await Employee.filter(email=email).exists():
        errors.add(
            DomainError(Code.CONFLICT, "An employee with this e-mail exists.", ["input", "email"])
        )
    errors.raise_if_any()
    async with unit_of_work(actor) as unit:
        employee = await Employee.create(
            id=uuid.uuid4(),
            name=name,
            email=email,
            role=role,
            password_hash=passwords.hash_password(data["password"]),
            created_at=unit.now,
        )
        unit.record("employee", employee.id, None, row_state(employee))
    return employee
