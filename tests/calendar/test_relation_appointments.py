"""Relation.appointments on the card: the window, the people, and a constant SQL cost."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.models import Appointment, AppointmentContact, AppointmentEmployee
from tests.calendar.helpers import CREATE, appointment_input, make_contact, make_relation, soon
from tests.factories import make_employee

CARD = """query($id: ID!, $from: DateTime, $to: DateTime) { relation(id: $id) {
  id appointments(from: $from, to: $to) {
    id title start end location status employees { id name } contacts { id displayName } } } }"""


async def test_the_card_lists_the_relations_appointments_within_the_window(api):
    anna = await make_employee("EMPLOYEE", name="Anna de Vries")
    relation = await make_relation()
    contact = await make_contact(relation, "Bakker")
    titles = {}
    for days in (2, 10, 40):
        data = await api.gql(
            CREATE,
            {
                "i": appointment_input(
                    [anna.id],
                    title=f"Over {days} dagen",
                    start=soon(days),
                    relationId=relation,
                    contactIds=[contact],
                )
            },
            token=anna.token,
        )
        titles[days] = data["createAppointment"]["appointment"]["id"]
    await api.gql(CREATE, {"i": appointment_input([anna.id], title="Privé")}, token=anna.token)
    data = await api.gql(
        CARD,
        {"id": relation, "from": soon(1).isoformat(), "to": soon(30).isoformat()},
        token=anna.token,
    )
    listed = data["relation"]["appointments"]
    assert [a["title"] for a in listed] == ["Over 2 dagen", "Over 10 dagen"]
    assert listed[0]["employees"] == [{"id": anna.id, "name": "Anna de Vries"}]
    assert [c["id"] for c in listed[0]["contacts"]] == [contact]
    everything = await api.gql(CARD, {"id": relation}, token=anna.token)
    assert len(everything["relation"]["appointments"]) == 3


async def _bulk(relation: str, employee: str, contact: str, count: int) -> None:
    now = datetime.now(UTC)
    rows = [
        Appointment(
            id=uuid.uuid4(),
            uid=f"{uuid.uuid4()}@relatiebeheer",
            title=f"Afspraak {n}",
            start=now + timedelta(hours=n),
            end=now + timedelta(hours=n, minutes=30),
            relation_id=relation,
            created_at=now,
            updated_at=now,
        )
        for n in range(count)
    ]
    await Appointment.bulk_create(rows, batch_size=500)
    await AppointmentEmployee.bulk_create(
        [AppointmentEmployee(appointment_id=r.id, employee_id=employee) for r in rows],
        batch_size=500,
    )
    await AppointmentContact.bulk_create(
        [AppointmentContact(appointment_id=r.id, contact_id=contact) for r in rows],
        batch_size=500,
    )


async def _statements(api, caplog: pytest.LogCaptureFixture, relation: str, token: str) -> int:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        data = await api.gql(CARD, {"id": relation}, token=token)
    assert data["relation"]["id"] == relation
    return sum(1 for r in caplog.records if r.name == "tortoise.db_client")


async def test_the_card_costs_the_same_statements_with_2000_appointments_as_with_10(api, caplog):
    anna = await make_employee("EMPLOYEE")
    small, large = await make_relation("Klein"), await make_relation("Groot")
    await _bulk(small, anna.id, await make_contact(small), 10)
    await _bulk(large, anna.id, await make_contact(large), 2000)
    few = await _statements(api, caplog, small, anna.token)
    many = await _statements(api, caplog, large, anna.token)
    assert few == many
    # Sign-in check, the card cache's dependencies and stamps, and the card's own loads.
    assert many <= 10, many
