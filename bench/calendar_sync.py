"""Two-way calendar sync of 1,000 events against a real Radicale: `python -m bench.calendar_sync`.

Starts Radicale 3 on 127.0.0.1 (a free port, a temporary folder), plans `--events`/2
appointments in the CRM and puts `--events`/2 events into the calendar with the caldav
client (as phones would), connects the calendar and times, with the HTTP requests the
driver sent (counted on every response):
  1. the first two-way sync (pull half, push half),
  2. a sync with nothing changed,
  3. a sync after `--changes` edits on each side.
It then checks that both sides hold exactly `--events` events. SQLite in a temporary
directory unless --db is given.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.live import free_port

RADICALE = Path(sys.executable).parent / "radicale"


def _start_radicale(folder: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        str(RADICALE), "--config", "", "--server-hosts", f"127.0.0.1:{port}",
        "--storage-filesystem-folder", str(folder), "--auth-type", "none",
        "--logging-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("Radicale did not start")


def _event(uid: str, title: str, start: datetime) -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//NL\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:{start.strftime(fmt)}\r\nDTSTART:{start.strftime(fmt)}\r\n"
        f"DTEND:{(start + timedelta(minutes=45)).strftime(fmt)}\r\nSUMMARY:{title}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


async def _crm_side(actor: Any, employee_id: str, count: int, base: datetime) -> list[str]:
    from server.services import appointments

    ids = []
    for n in range(count):
        start = base + timedelta(hours=n)
        row = await appointments.create_appointment(
            actor,
            {
                "title": f"CRM afspraak {n}",
                "start": start,
                "end": start + timedelta(minutes=30),
                "employeeIds": [employee_id],
            },
        )
        ids.append(str(row["id"]))
    return ids


def _calendar_side(url: str, count: int, base: datetime) -> Any:
    from caldav.davclient import DAVClient

    root = url.split("/bench/")[0] + "/"
    client = DAVClient(url=root, username="bench", password="x")
    calendar = client.principal().make_calendar(name="werk", cal_id="werk")
    for n in range(count):
        calendar.add_event(
            _event(f"tel-{n}@bench", f"Telefoon {n}", base + timedelta(hours=n, minutes=50))
        )
    return calendar


async def _timed(label: str, connection_id: str, rows: list[tuple[str, float, int]]) -> None:
    from server.integrations.calendar_sync import sync_now

    began = time.perf_counter()
    report = await sync_now(connection_id)
    seconds = time.perf_counter() - began
    if report.error:
        raise RuntimeError(f"{label}: {report.error}")
    rows.append((label, seconds, report.requests))
    print(f"{label:<42} {seconds:8.2f} s {report.requests:6d} requests "
          f"(pulled {report.pulled}, pushed {report.pushed})")  # fmt: skip


async def run(events: int, changes: int, url: str | None) -> list[tuple[str, float, int]]:
    from server import db
    from server.auth.permissions import Actor, Role
    from server.models import Appointment, CalendarSyncItem
    from server.services import calendar_connections, staff
    from server.services.appointments import update_appointment

    workdir = Path(tempfile.mkdtemp(prefix="bench-calendar-"))
    os.environ.setdefault("RELATIEBEHEER_DATA_DIR", str(workdir / "data"))
    database = url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    await db.migrate(database)
    await db.init(database)
    port = free_port()
    radicale = _start_radicale(workdir / "radicale", port)
    rows: list[tuple[str, float, int]] = []
    try:
        employee = await staff.create_employee(
            None, {"name": "Bench", "email": f"bench-{uuid.uuid4().hex[:6]}@kantoor.example",
                   "role": "EMPLOYEE", "password": "Correct-Horse-Battery-9"},
        )  # fmt: skip
        actor = Actor(id=str(employee.id), role=Role.EMPLOYEE, name="Bench")
        base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
        crm_ids = await _crm_side(actor, actor.id, events // 2, base)
        calendar_url = f"http://127.0.0.1:{port}/bench/werk/"
        calendar = await asyncio.to_thread(_calendar_side, calendar_url, events - events // 2, base)
        connection = await calendar_connections.connect_calendar(
            actor, actor.id, calendar_url, "bench", "x"
        )
        connection_id = str(connection["id"])
        await _timed(f"first two-way sync ({events} events)", connection_id, rows)
        await _timed("sync, nothing changed", connection_id, rows)
        for n, appointment_id in enumerate(crm_ids[:changes]):
            start = base + timedelta(hours=n)
            await update_appointment(
                actor, appointment_id,
                {"title": f"CRM gewijzigd {n}", "start": start,
                 "end": start + timedelta(minutes=30), "employeeIds": [actor.id]},
            )  # fmt: skip
        await asyncio.to_thread(_edit_remote, calendar, changes)
        await _timed(f"sync after {changes}+{changes} changes", connection_id, rows)
        total = await Appointment.all().count()
        items = await CalendarSyncItem.filter(connection_id=connection_id).count()
        there = len(await asyncio.to_thread(calendar.get_events))
        print(f"CRM appointments {total}, calendar events {there}, status rows {items}")
        assert total == there == items == events, "both sides must hold every event once"
        per_put = await asyncio.to_thread(_raw_puts, calendar_url, base, 100)
        print(
            f"baseline: one raw PUT (httpx, same body) into this calendar: {per_put * 1000:.0f} ms"
        )
    finally:
        radicale.kill()
        radicale.wait()
        await db.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def _raw_puts(calendar_url: str, base: datetime, count: int) -> float:
    """Seconds per plain PUT of a rendered event, without our engine: the server's own cost."""
    import httpx

    from server.integrations import ical

    began = time.perf_counter()
    with httpx.Client(auth=("bench", "x"), timeout=30) as http:
        for n in range(count):
            uid = f"raw-{n}@bench"
            start = base + timedelta(days=400, hours=n)
            event = ical.EventData(uid, f"Raw {n}", None, None, start, start, False, False)
            http.put(
                f"{calendar_url}{uid}.ics",
                content=ical.render(event),
                headers={"If-None-Match": "*", "Content-Type": "text/calendar; charset=utf-8"},
            ).raise_for_status()
    return (time.perf_counter() - began) / count


def _edit_remote(calendar: Any, changes: int) -> None:
    for n in range(changes):
        event = calendar.get_event_by_uid(f"tel-{n}@bench")
        event.icalendar_component.pop("SUMMARY")
        event.icalendar_component.add("SUMMARY", f"Telefoon gewijzigd {n}")
        event.save(increase_seqno=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--db", default=None, help="DATABASE_URL (default: temporary SQLite)")
    args = parser.parse_args(argv)
    asyncio.run(run(args.events, args.changes, args.db))
    return 0


if __name__ == "__main__":
    sys.exit(main())
