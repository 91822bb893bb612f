"""A believable demo office for `relatiebeheer seed-demo` (idempotent)."""

from __future__ import annotations

from server.models import Employee, Relation
from server.services import staff

DEMO_PASSWORD = "Demo-kantoor-2026!"
DEMO_STAFF = [
    ("Anna de Vries", "anna@demo-kantoor.nl", "ADMIN"),
    ("Pieter Jansen", "pieter@demo-kantoor.nl", "PARTNER"),
    ("Fatima el Amrani", "fatima@demo-kantoor.nl", "MANAGER"),
    ("Sanne Bakker", "sanne@demo-kantoor.nl", "EMPLOYEE"),
]


async def seed() -> str:
    """Staff, then (once) the register and its graph; running it again adds nothing."""
    summary = [await _seed_staff()]
    if await Relation.exists():
        summary.append("relations already present")
        return "; ".join(summary)
    from server.services.demo_register import seed_register

    relation_ids = await seed_register()
    summary.append(f"{len(relation_ids)} relations created")
    try:
        from server.services.demo_graph import seed_graph
    except ImportError:  # pragma: no cover - the graph seeder is optional here
        return "; ".join(summary)
    summary.append(await seed_graph(relation_ids))
    return "; ".join(summary)


async def _seed_staff() -> str:
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
