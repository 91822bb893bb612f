"""Failures: a server that dies mid-sync, the empty-calendar guard, stale tokens, backoff."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from server.integrations import caldav_driver, calendar_state, calendar_sync
from server.models import Appointment, CalendarConnection, CalendarSyncItem
from server.services.unit import utcnow
from server.settings import get_settings
from tests.calendar import remote
from tests.calendar.helpers import CREATE, appointment_input, connect, soon, sync
from tests.factories import make_employee


async def _plan_many(api, staff, count: int) -> list[dict]:
    planned = []
    for n in range(count):
        data = await api.gql(
            CREATE,
            {"i": appointment_input([staff.id], title=f"Afspraak {n}", start=soon(n + 1))},
            token=staff.token,
        )
        planned.append(data["createAppointment"]["appointment"])
    return planned


def _die_after_puts(server, puts: int):
    """Kill the server right after it stored the n-th PUT, before we can record it."""
    seen: list[str] = []

    def observer(method: str, url: str, status: int) -> None:
        if method == "PUT":
            seen.append(url)
            if len(seen) == puts:
                server.stop()
                raise ConnectionResetError("connection lost after the PUT")

    return observer


async def test_a_server_dying_mid_sync_loses_and_duplicates_nothing(api, own_radicale):
    side = await connect(api, own_radicale, await make_employee("EMPLOYEE"))
    planned = await _plan_many(api, side.staff, 6)
    await asyncio.to_thread(
        remote.add, side.calendar, remote.event_ics("tel@phone", "Van de telefoon")
    )
    observer = _die_after_puts(own_radicale, 3)
    caldav_driver.RESPONSE_OBSERVERS.append(observer)
    try:
        failed = await sync(api, side)
    finally:
        caldav_driver.RESPONSE_OBSERVERS.remove(observer)
    assert failed["lastError"] == "PUT: server unreachable (ConnectionResetError)"
    row = await CalendarConnection.get(id=side.connection_id)
    assert row.failure_count == 1 and row.next_sync_at is not None and row.next_sync_at > utcnow()
    assert row.lease_owner is None
    # The phone's event was pulled before the pushes began; two PUTs were recorded.
    assert await CalendarSyncItem.filter(connection_id=side.connection_id).count() == 3

    down = await sync(api, side)
    assert down["lastError"] == "sync-collection: server unreachable (ConnectionError)"

    own_radicale.start()
    recovered = await sync(api, side)
    assert recovered["lastError"] is None
    there = await asyncio.to_thread(remote.events, side.calendar)
    assert sorted(there) == sorted([p["uid"] for p in planned] + ["tel@phone"])
    assert len(await asyncio.to_thread(remote.resources, side.calendar)) == 7
    assert await Appointment.all().count() == 7
    assert await CalendarSyncItem.filter(connection_id=side.connection_id).count() == 7
    assert (await CalendarConnection.get(id=side.connection_id)).failure_count == 0


async def test_a_calendar_that_suddenly_looks_empty_deletes_nothing(api, own_radicale):
    side = await connect(api, own_radicale, await make_employee("EMPLOYEE"))
    planned = await _plan_many(api, side.staff, 5)
    await sync(api, side)
    # The collection is wiped and made again, as a mistaken reset on the server would.
    await asyncio.to_thread(side.calendar.delete)
    await asyncio.to_thread(own_radicale.make_calendar, side.user)
    held = await sync(api, side)
    assert held["lastError"].startswith("The calendar suddenly appears empty while 5 events")
    statuses = await Appointment.filter(id__in=[p["id"] for p in planned]).values_list(
        "status", flat=True
    )
    assert list(statuses) == ["PLANNED"] * 5
    assert await CalendarSyncItem.filter(connection_id=side.connection_id).count() == 5
    forced = await sync(api, side, force=True)
    assert forced["lastError"] is None
    statuses = await Appointment.filter(id__in=[p["id"] for p in planned]).values_list(
        "status", flat=True
    )
    assert list(statuses) == ["CANCELLED"] * 5


async def test_an_expired_sync_token_lists_everything_and_finds_deletions(api, radicale):
    side = await connect(api, radicale, await make_employee("EMPLOYEE"))
    for uid in ("een@phone", "twee@phone"):
        await asyncio.to_thread(remote.add, side.calendar, remote.event_ics(uid, uid))
    await sync(api, side)
    await CalendarConnection.filter(id=side.connection_id).update(
        sync_token="http://radicale.org/ns/sync/0000000000000000"
    )
    await asyncio.to_thread(remote.delete, side.calendar, "twee@phone")
    assert (await sync(api, side))["lastError"] is None
    assert (await Appointment.get(uid="een@phone")).status == "PLANNED"
    assert (await Appointment.get(uid="twee@phone")).status == "CANCELLED"
    token = (await CalendarConnection.get(id=side.connection_id)).sync_token
    assert token is not None and not token.endswith("0000000000000000")


async def test_failures_back_off_exponentially_and_success_resets(api, own_radicale):
    side = await connect(api, own_radicale, await make_employee("EMPLOYEE"))
    own_radicale.stop()
    interval = get_settings().calendar_sync_interval
    for failures in (1, 2, 3):
        before = utcnow()
        await sync(api, side)
        row = await CalendarConnection.get(id=side.connection_id)
        assert row.failure_count == failures
        expected = before + timedelta(seconds=interval * 2**failures)
        assert abs((row.next_sync_at - expected).total_seconds()) < 5
    own_radicale.start()
    assert (await sync(api, side))["lastError"] is None
    row = await CalendarConnection.get(id=side.connection_id)
    assert (row.failure_count, row.last_error) == (0, None)


async def test_a_leased_connection_is_not_synced_by_a_second_worker(api, radicale):
    side = await connect(api, radicale, await make_employee("EMPLOYEE"))
    assert await calendar_state.start_sync(side.connection_id, "worker-a")
    assert await calendar_sync.run_due("worker-b") == 0
    data = await api.post(
        """mutation($c: ID!) { syncCalendar(connectionId: $c) { errors { code field } } }""",
        {"c": side.connection_id},
        token=side.staff.token,
    )
    assert data.json()["data"]["syncCalendar"]["errors"] == [
        {"code": "CONFLICT", "field": ["connectionId"]}
    ]
    await calendar_state.mark_sync_succeeded(side.connection_id, "worker-a")
    await CalendarConnection.filter(id=side.connection_id).update(next_sync_at=utcnow())
    assert await calendar_sync.run_due("worker-b") == 1


async def test_the_background_loop_syncs_due_connections_until_stopped(api, radicale):
    side = await connect(api, radicale, await make_employee("EMPLOYEE"))
    await asyncio.to_thread(remote.add, side.calendar, remote.event_ics("loop@phone", "Loop"))
    stop = await calendar_sync.start()
    try:
        for _ in range(100):
            if await Appointment.filter(uid="loop@phone").exists():
                break
            await asyncio.sleep(0.1)
    finally:
        await stop()
    assert (await Appointment.get(uid="loop@phone")).title == "Loop"
    assert (await CalendarConnection.get(id=side.connection_id)).last_synced_at is not None
