"""Committed changes reach real receivers on 127.0.0.1: signed, in order, retried, once."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from server.auth.permissions import SYSTEM_ACTOR
from server.models import ChangeEvent, Delivery, DeliveryAttempt, LinkedSystem, Version
from tests.integration.helpers import (
    ADMIN,
    all_in_state,
    create_relation,
    delivery_states,
    eventually,
    register,
    rename_relation,
    states_are,
)
from tests.live import free_port


async def _event_ids() -> list[str]:
    rows = await ChangeEvent.all().order_by("sequence").values_list("id", flat=True)
    return [str(r) for r in rows]


async def test_every_event_arrives_once_in_order_after_the_receiver_recovers(dispatcher, receivers):
    receiver = receivers(script=[(500, {})] * 3)
    system_id, receiver.secret = await register(ADMIN, receiver.url)
    relation_id = await create_relation(ADMIN, "Bakkerij De Korf BV")
    for n in range(4):
        await rename_relation(ADMIN, relation_id, f"Bakkerij De Korf {n} BV")
    expected = await _event_ids()

    await eventually(lambda: all_in_state(system_id, "DELIVERED", 5))
    await asyncio.sleep(0.3)  # nothing more may arrive

    assert receiver.accepted_ids() == expected
    assert all(hit.verified for hit in receiver.hits)
    failed = [hit for hit in receiver.hits if hit.status == 500]
    assert [hit.webhook_id for hit in failed] == [expected[0]] * 3
    assert await delivery_states(system_id) == ["DELIVERED"] * 5
    first = await Delivery.get(system_id=system_id, event__id=expected[0])
    attempts = (
        await DeliveryAttempt.filter(delivery_id=first.id)
        .order_by("id")
        .values_list("status_code", flat=True)
    )
    assert attempts == [500, 500, 500, 200]
    assert first.attempts == 4


async def test_a_receiver_that_is_down_loses_nothing_and_gets_everything_in_order_later(
    dispatcher, receivers
):
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks"
    system_id, secret = await register(ADMIN, url)
    relation_id = await create_relation(ADMIN, "Garage Noord BV")
    await rename_relation(ADMIN, relation_id, "Garage Noord Holding BV")
    # Four attempts (at 0, 0.1, 0.2 and 0.4 s) have failed; the next is 10 hours away.
    await eventually(lambda: Delivery.filter(system_id=system_id, attempts=4).exists())

    assert await delivery_states(system_id) == ["PENDING", "PENDING"]
    errors = await DeliveryAttempt.all().values_list("error", flat=True)
    assert errors and set(errors) == {"ConnectError"}

    # Bring the 10-hour retry forward instead of waiting for it.
    await Delivery.filter(system_id=system_id).update(next_attempt_at=datetime.now(UTC))
    receiver = receivers(port=port, secret=secret)
    await eventually(lambda: all_in_state(system_id, "DELIVERED", 2))

    assert receiver.accepted_ids() == await _event_ids()


async def test_a_410_disables_the_system_and_stops_its_deliveries(dispatcher, receivers):
    receiver = receivers(script=[(410, {})])
    system_id, receiver.secret = await register(ADMIN, receiver.url)
    relation_id = await create_relation(ADMIN, "Drukkerij Zuid BV")
    await rename_relation(ADMIN, relation_id, "Drukkerij Zuid Holding BV")

    await eventually(lambda: states_are(system_id, ["CANCELLED", "CANCELLED"]))
    await asyncio.sleep(0.3)  # nothing more may arrive

    system = await LinkedSystem.get(id=system_id)
    assert system.active is False
    assert system.disabled_reason == "The webhook endpoint answered 410 Gone."
    version = await Version.filter(entity="linked_system", op="update").get()
    assert (str(version.actor_id), version.changes["active"]) == (SYSTEM_ACTOR.id, [True, False])
    assert len(receiver.hits) == 1
    await rename_relation(ADMIN, relation_id, "Drukkerij Zuid Groep BV")
    assert await Delivery.filter(system_id=system_id).count() == 2


async def test_retry_after_on_503_is_honoured_when_longer_than_the_schedule(dispatcher, receivers):
    receiver = receivers(script=[(503, {"Retry-After": "1"})])
    system_id, receiver.secret = await register(ADMIN, receiver.url)
    await create_relation(ADMIN, "Kwekerij Oost BV")

    await eventually(lambda: len(receiver.accepted) == 1)

    first, second = receiver.hits
    assert (first.status, second.status) == (503, 200)
    assert first.webhook_id == second.webhook_id
    await eventually(lambda: all_in_state(system_id, "DELIVERED", 1))
    tried = await DeliveryAttempt.all().order_by("id").values_list("at", flat=True)
    assert (tried[1] - tried[0]).total_seconds() >= 1.0


async def test_retry_after_as_an_http_date_is_honoured_on_429(dispatcher, receivers):
    # An HTTP date has whole seconds: the retry may come no earlier than that second.
    later = (datetime.now(UTC) + timedelta(seconds=2)).replace(microsecond=0)
    header = format_datetime(later, usegmt=True)
    receiver = receivers(script=[(429, {"Retry-After": header})])
    _, receiver.secret = await register(ADMIN, receiver.url)
    await create_relation(ADMIN, "Visserij West BV")

    await eventually(lambda: len(receiver.accepted) == 1)

    first, second = receiver.hits
    assert (first.status, second.status) == (429, 200)
    assert second.at >= later.timestamp()


async def test_a_rolled_back_write_sends_nothing(dispatcher, receivers):
    receiver = receivers()
    _, receiver.secret = await register(ADMIN, receiver.url)
    relation_id = await create_relation(ADMIN, "Houthandel BV")
    await eventually(lambda: len(receiver.accepted) == 1)

    with contextlib.suppress(RuntimeError):
        await rename_relation(ADMIN, relation_id, "Houthandel Kwijt BV", fail=True)
    await asyncio.sleep(0.6)

    assert len(receiver.hits) == 1
    assert await ChangeEvent.all().count() == 1
    assert await Delivery.all().count() == 1
    await rename_relation(ADMIN, relation_id, "Houthandel Gebroeders BV")
    await eventually(lambda: len(receiver.accepted) == 2)
    assert receiver.accepted_bodies()[1]["data"]["data"]["display_name"] == (
        "Houthandel Gebroeders BV"
    )


async def test_a_delivery_is_given_up_after_the_horizon_and_the_next_one_goes(
    env, dispatcher, receivers
):
    # Attempts at about 0, 0.1, 0.2 and 0.4 s; the next would be 10 hours later: past 1 s.
    env(RELATIEBEHEER_WEBHOOK_RETRY_HORIZON="1")
    receiver = receivers(script=[(500, {})] * 4)
    system_id, receiver.secret = await register(ADMIN, receiver.url)
    relation_id = await create_relation(ADMIN, "Smederij BV")
    await rename_relation(ADMIN, relation_id, "Smederij Holding BV")
    created, updated = await _event_ids()

    await eventually(lambda: len(receiver.accepted) == 1)

    assert [h.webhook_id for h in receiver.hits] == [created] * 4 + [updated]
    await eventually(lambda: states_are(system_id, ["DEAD", "DELIVERED"]))


async def test_each_system_gets_every_event_in_its_own_order(dispatcher, receivers):
    healthy = receivers()
    flaky = receivers(script=[(500, {})] * 2)
    _, healthy.secret = await register(ADMIN, healthy.url, name="Salaris")
    _, flaky.secret = await register(ADMIN, flaky.url, name="Portaal")
    first = await create_relation(ADMIN, "Schilders BV")
    second = await create_relation(ADMIN, "Loodgieters BV")
    await rename_relation(ADMIN, first, "Schilders Holding BV")
    await rename_relation(ADMIN, second, "Loodgieters Holding BV")
    expected = await _event_ids()

    await eventually(lambda: len(healthy.accepted) == 4 and len(flaky.accepted) == 4)

    assert healthy.accepted_ids() == expected
    assert flaky.accepted_ids() == expected
    assert [h.webhook_id for h in flaky.hits] == [expected[0]] * 3 + expected[1:]


async def test_a_slow_receiver_does_not_hold_up_the_other_systems(dispatcher, receivers):
    slow, fast = receivers(delay=3.0), receivers()
    _, slow.secret = await register(ADMIN, slow.url, name="Traag")
    _, fast.secret = await register(ADMIN, fast.url, name="Snel")
    started = time.monotonic()

    await create_relation(ADMIN, "Wasserij BV")

    await eventually(lambda: len(fast.accepted) == 1, within=1.5)
    assert time.monotonic() - started < 1.5
    assert slow.accepted == []
    await eventually(lambda: len(slow.accepted) == 1)


async def test_a_receiver_slower_than_the_timeout_counts_as_a_failure(env, dispatcher, receivers):
    env(RELATIEBEHEER_WEBHOOK_TIMEOUT="0.3")
    receiver = receivers(delay=1.0)
    system_id, receiver.secret = await register(ADMIN, receiver.url)

    await create_relation(ADMIN, "Stomerij BV")

    timeouts = ["TimeoutError", "ReadTimeout"]
    await eventually(lambda: DeliveryAttempt.filter(error__in=timeouts).exists())
    attempt = await DeliveryAttempt.filter(error__in=timeouts).first()
    assert attempt is not None and attempt.status_code is None
    assert 250 <= attempt.duration_ms < 1000
    assert await delivery_states(system_id) == ["PENDING"]
