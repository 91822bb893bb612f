"""Office staff: sign-in (with throttling) and creating employees."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

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
    settings = get_settings()
    now = utcnow()
    key = _throttle_key(email)
    throttle = await LoginThrottle.get_or_none(key=key)
    if throttle and throttle.locked_until and throttle.locked_until > now:
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
        await _count_failure(key, throttle, now, settings.login_max_failures)
        raise DomainError(Code.INVALID, INVALID_LOGIN, ["password"])
    assert employee is not None
    if throttle:
        await LoginThrottle.filter(key=key).delete()
    if passwords.needs_rehash(employee.password_hash):
        employee.password_hash = passwords.hash_password(password)
        await employee.save(update_fields=["password_hash"])
    token, expires = issue_access_token(str(employee.id), employee.role, employee.name)
    return Session(token, expires, employee_row(employee))


async def _count_failure(
    key: str, throttle: LoginThrottle | None, now: datetime, max_failures: int
) -> None:
    settings = get_settings()
    if throttle is None:
        await LoginThrottle.create(key=key, failures=1, updated_at=now)
        return
    throttle.failures += 1
    throttle.updated_at = now
    if throttle.failures >= max_failures:
        throttle.locked_until = now + timedelta(seconds=settings.login_lock_seconds)
        throttle.failures = 0
    await throttle.save()


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
