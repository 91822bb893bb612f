"""A believable demo office for `relatiebeheer seed-demo` (idempotent)."""

from __future__ import annotations

from server.models import Employee
from server.services import staff

DEMO_PASSWORD = "Demo-kantoor-2026!"
DEMO_STAFF = [
    ("Anna de Vries", "anna@demo-kantoor.nl", "ADMIN"),
    ("Pieter Jansen", "pieter@demo-kantoor.nl", "PARTNER"),
    ("Fatima el Amrani", "fatima@demo-kantoor.nl", "MANAGER"),
    ("Sanne Bakker", "sanne@demo-kantoor.nl", "EMPLOYEE"),
]


async def seed() -> str:
    created = 0
    for name, email, role in DEMO_STAFF:
        if await Employee.filter(email=email).exists():
            continue
        await staff.create_employee(
            None, {"name": name, "email": email, "role": role, "password": DEMO_PASSWORD}
        )
        created += 1
    return (
        f"demo office ready: {created} employee(s) created; "
        f"sign in as anna@demo-kantoor.nl / {DEMO_PASSWORD}"
    )
