"""Several dispatchers: each delivery once, in order; on SQLite only the lease holder sends."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import timedelta

import pytest

from server.integrations import webhooks
from server.models import ChangeEvent, DeliveryAttempt, LinkedSystem, WorkerLease
from server.services.unit import utcnow
from tests.integration.helpers import ADMIN, create_relation, eventually, register, rename_relation


async def test_two_dispatchers_deliver_each_event_once_in_order_per_system(db, receivers):
    systems = [receivers() for _ in range(3)]
    for n, receiver in enumerate(systems):
        _, receiver.secret = await register(ADMIN, receiver.url, name=f"Systeem {n}")
    stops = [await webhooks.start(), await webhooks.start()]
    try:
        relations = [await create_relation(ADMIN, f"Klant {n} BV") for n in range(5)]
        for round_ in range(5):
            for relation_id in relations:
                await rename_relation(ADMIN, relation_id, f"Klant {round_} {relation_id[:4]}")
        expected = [
            str(i)
            for i in await ChangeEvent.all().order_by("sequence").values_list("id", flat=True)
        ]

        await eventually(lambda: all(len(r.accepted) == 30 for r in systems), within=20)
        await asyncio.sleep(0.3)
    finally:
        for stop in stops:
            await stop()

    for receiver in systems:
        assert receiver.accepted_ids() == expected
        assert max(Counter(hit.webhook_id for hit in receiver.hits).values()) == 1


async def test_on_sqlite_a_dispatcher_waits_while_another_process_holds_the_lease(db, receivers):
    if db.is_postgres:
        pytest.skip("on PostgreSQL dispatchers share the work through row locks, not a lease")
    await WorkerLease.create(
        name=webhooks.LEASE_NAME,
        owner="other-host:4242:abcd",
        until=utcnow() + timedelta(minutes=1),
    )
    receiver = receivers()
    _, receiver.secret = await register(ADMIN, receiver.url)
    stop = await webhooks.start()
    try:
        await create_relation(ADMIN, "Apotheek BV")
        await asyncio.sleep(1.0)
        assert receiver.hits == []

        # The other process died: its lease runs out and this dispatcher takes over.
        await WorkerLease.all().update(until=utcnow() - timedelta(seconds=1))
        await eventually(lambda: len(receiver.accepted) == 1)
    finally:
        await stop()
    assert await WorkerLease.all().count() == 0


async def test_a_system_whose_secret_cannot_be_read_does_not_stop_the_others(dispatcher, receivers):
    broken, healthy = receivers(), receivers()
    broken_id, broken.secret = await register(ADMIN, broken.url, name="Kapot")
    _, healthy.secret = await register(ADMIN, healthy.url, name="Gezond")
    await LinkedSystem.filter(id=broken_id).update(webhook_secret_encrypted="not-a-fernet-token")

    await create_relation(ADMIN, "Opticien BV")

    await eventually(lambda: len(healthy.accepted) == 1)
    await eventually(lambda: DeliveryAttempt.filter(error="SecretUnreadable").exists())
    assert broken.hits == []


async def test_stopping_the_dispatcher_is_prompt(db):
    stop = await webhooks.start()
    await asyncio.sleep(0.1)

    started = time.monotonic()
    await stop()

    assert time.monotonic() - started < 1.0
    assert await WorkerLease.all().count() == 0
