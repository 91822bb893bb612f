"""Test-only helpers: relations and contacts as plain rows, a real Radicale server, queries."""

from __future__ import annotations

import asyncio
import itertools
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import icalendar
from caldav.davclient import DAVClient

from server.models import ContactPerson, Relation

RADICALE = Path(sys.executable).parent / "radicale"
_numbers = itertools.count(1)

APPOINTMENT_FIELDS = """id uid title description location start end allDay status
  relation { id } contacts { id } employees { id }"""
CREATE = f"""mutation($i: AppointmentInput!) {{ createAppointment(input: $i) {{
  appointment {{ {APPOINTMENT_FIELDS} }} errors {{ field code message }} }} }}"""
UPDATE = f"""mutation($id: ID!, $i: AppointmentInput!) {{ updateAppointment(id: $id, input: $i) {{
  appointment {{ {APPOINTMENT_FIELDS} }} errors {{ field code message }} }} }}"""
CANCEL = f"""mutation($id: ID!) {{ cancelAppointment(id: $id) {{
  appointment {{ {APPOINTMENT_FIELDS} }} errors {{ field code message }} }} }}"""
CONNECT = """mutation($e: ID!, $u: String!, $n: String, $p: String) {
  connectCalendar(employeeId: $e, url: $u, username: $n, password: $p) {
    connection { id url provider lastSyncedAt lastError employee { id } }
    errors { field code message } } }"""
SYNC = """mutation($c: ID!, $f: Boolean) { syncCalendar(connectionId: $c, forceDelete: $f) {
  connection { id lastSyncedAt lastError } errors { field code message } } }"""


def soon(days: int = 3, hour: int = 9) -> datetime:
    """A moment some days ahead, on the hour, in UTC (inside every sync window)."""
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return base.replace(hour=hour) + timedelta(days=days)


def iso(value: datetime | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


async def make_relation(name: str = "Bakkerij De Korenschoof B.V.") -> str:
    now = datetime.now(UTC)
    relation = await Relation.create(
        id=uuid.uuid4(),
        number=f"T{next(_numbers):05d}-{uuid.uuid4().hex[:6]}",
        party_type="ORGANISATION",
        display_name=name,
        sort_name=name.lower(),
        legal_name=name,
        created_at=now,
        updated_at=now,
    )
    return str(relation.id)


async def make_contact(relation_id: str, last_name: str = "Jansen") -> str:
    contact = await ContactPerson.create(
        id=uuid.uuid4(), relation_id=relation_id, last_name=last_name, created_at=datetime.now(UTC)
    )
    return str(contact.id)


def appointment_input(employee_ids: list[str], **extra: Any) -> dict[str, Any]:
    start = extra.pop("start", soon())
    return {
        "title": "Jaarrekening bespreken",
        "start": iso(start),
        "end": iso(extra.pop("end", None) or start + timedelta(hours=1)),
        "employeeIds": employee_ids,
        **extra,
    }


async def verify_items(text: str, folder: Path) -> list[tuple[int, str]]:
    """`radicale --verify-item` on each event of a calendar (it checks one object at a time)."""
    calendar = icalendar.Calendar.from_ical(text)
    zones = list(calendar.walk("VTIMEZONE"))
    results = []
    for index, uid in enumerate(dict.fromkeys(str(e["UID"]) for e in calendar.walk("VEVENT"))):
        item = icalendar.Calendar()
        item.add("PRODID", str(calendar["PRODID"]))
        item.add("VERSION", "2.0")
        for component in [*zones, *(e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid)]:
            item.add_component(component)
        path = folder / f"item-{index}.ics"
        path.write_bytes(item.to_ical())
        process = await asyncio.create_subprocess_exec(
            str(RADICALE), "--config", "", "--verify-item", str(path),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await process.communicate()
        results.append((process.returncode or 0, output.decode()[-500:]))
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Radicale:
    """A real Radicale 3 on 127.0.0.1, started as a subprocess; stop/start keep its data."""

    folder: Path
    htpasswd: Path | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    clients: list[DAVClient] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            str(RADICALE), "--config", "", "--server-hosts", f"127.0.0.1:{self.port}",
            "--storage-filesystem-folder", str(self.folder / "collections"),
        ]  # fmt: skip
        if self.htpasswd is None:
            command += ["--auth-type", "none"]
        else:
            command += [
                "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(self.htpasswd),
                "--auth-htpasswd-encryption", "plain",
            ]  # fmt: skip
        with (self.folder / "radicale.log").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log)
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.base}/.web/", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("Radicale did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def client(self, user: str, password: str = "any") -> DAVClient:
        client = DAVClient(url=f"{self.base}/", username=user, password=password, timeout=10)
        self.clients.append(client)
        return client

    def close_clients(self) -> None:
        for client in self.clients:
            client.close()
        self.clients.clear()

    def make_calendar(self, user: str, password: str = "any", name: str = "werk") -> str:
        """Create the user's calendar collection; returns its URL."""
        principal = self.client(user, password).principal()
        calendar = principal.make_calendar(name=name, cal_id=name)
        return str(calendar.url)

    def calendar(self, url: str, user: str, password: str = "any") -> Any:
        return self.client(user, password).calendar(url=url)


@dataclass
class Connected:
    """An employee with a connected calendar, and the calendar as the other side sees it."""

    staff: Any
    connection_id: str
    url: str
    user: str
    calendar: Any


async def connect(api: Any, server: Radicale, staff: Any, password: str = "any") -> Connected:
    user = f"u{uuid.uuid4().hex[:10]}"
    url = await asyncio.to_thread(server.make_calendar, user, password)
    data = await api.gql(
        CONNECT, {"e": staff.id, "u": url, "n": user, "p": password}, token=staff.token
    )
    assert data["connectCalendar"]["errors"] == [], data
    connection_id = data["connectCalendar"]["connection"]["id"]
    return Connected(staff, connection_id, url, user, server.calendar(url, user, password))


async def sync(api: Any, connected: Connected, force: bool = False) -> dict[str, Any]:
    """Run syncCalendar; returns the connection (lastError tells how it went)."""
    data = await api.gql(
        SYNC, {"c": connected.connection_id, "f": force}, token=connected.staff.token
    )
    assert data["syncCalendar"]["errors"] == [], data
    return dict(data["syncCalendar"]["connection"])
