"""Planning, changing and cancelling appointments through the API, with history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.models import Appointment, AppointmentContact, AppointmentEmployee, Version
from tests.calendar.helpers import (
    CANCEL,
    CREATE,
    UPDATE,
    appointment_input,
    make_contact,
    make_relation,
    soon,
)
from tests.factories import make_employee


async def test_an_appointment_is_stored_in_utc_with_a_stable_uid(api):
    anna = await make_employee("EMPLOYEE")
    relation = await make_relation()
    contact = await make_contact(relation)
    data = await api.gql(
        CREATE,
        {
            "i": {
                "title": "Jaarrekening bespreken",
                "location": "Kantoor Utrecht",
                # No offset: read as Amsterdam time (CET in January, UTC+1).
                "start": "2027-01-15T10:00:00",
                "end": "2027-01-15T11:30:00+01:00",
                "relationId": relation,
                "contactIds": [contact],
                "employeeIds": [anna.id],
            }
        },
        token=anna.token,
    )
    result = data["createAppointment"]
    assert result["errors"] == []
    appointment = result["appointment"]
    assert appointment["start"] == "2027-01-15T09:00:00+00:00"
    assert appointment["end"] == "2027-01-15T10:30:00+00:00"
    assert appointment["uid"].endswith("@relatiebeheer")
    assert appointment["status"] == "PLANNED"
    assert appointment["relation"] == {"id": relation}
    assert appointment["contacts"] == [{"id": contact}]
    assert appointment["employees"] == [{"id": anna.id}]
    stored = await Appointment.get(id=appointment["id"])
    assert stored.start == datetime(2027, 1, 15, 9, tzinfo=UTC)
    entities = await Version.filter(entity_id__in=[appointment["id"]]).values_list(
        "entity", flat=True
    )
    assert list(entities) == ["appointment"]
    links = await Version.filter(entity__in=["appointment_employee", "appointment_contact"]).count()
    assert links == 2


async def test_an_all_day_appointment_spans_whole_office_days(api):
    anna = await make_employee("EMPLOYEE")
    data = await api.gql(
        CREATE,
        {
            "i": appointment_input(
                [anna.id],
                start="2027-06-01T10:00:00+02:00",
                end="2027-06-02T12:00:00+02:00",
                allDay=True,
            )
        },
        token=anna.token,
    )
    appointment = data["createAppointment"]["appointment"]
    assert appointment["allDay"] is True
    assert appointment["start"] == "2027-05-31T22:00:00+00:00"
    assert appointment["end"] == "2027-06-02T22:00:00+00:00"


async def test_an_end_before_the_start_is_refused_and_nothing_is_written(api):
    anna = await make_employee("EMPLOYEE")
    start = soon()
    data = await api.gql(
        CREATE,
        {"i": appointment_input([anna.id], start=start, end=start - timedelta(minutes=1))},
        token=anna.token,
    )
    assert data["createAppointment"]["appointment"] is None
    assert data["createAppointment"]["errors"] == [
        {"field": ["input", "end"], "code": "INVALID", "message": "The end lies before the start."}
    ]
    assert await Appointment.all().count() == 0
    assert await Version.filter(entity="appointment").count() == 0


async def test_unknown_and_inactive_employees_are_refused_with_their_paths(api):
    anna = await make_employee("EMPLOYEE")
    gone = await make_employee("EMPLOYEE")
    gone.employee.active = False
    await gone.employee.save()
    unknown = "0b7c1f3e-0000-4000-8000-000000000000"
    data = await api.gql(
        CREATE, {"i": appointment_input([anna.id, gone.id, unknown])}, token=anna.token
    )
    errors = data["createAppointment"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        (["input", "employeeIds", "1"], "INVALID"),
        (["input", "employeeIds", "2"], "NOT_FOUND"),
    ]
    assert await Appointment.all().count() == 0


async def test_no_employees_at_all_is_refused(api):
    anna = await make_employee("EMPLOYEE")
    data = await api.gql(CREATE, {"i": appointment_input([])}, token=anna.token)
    assert data["createAppointment"]["errors"][0]["field"] == ["input", "employeeIds"]
    assert data["createAppointment"]["errors"][0]["code"] == "REQUIRED"


async def test_contacts_of_another_relation_are_refused(api):
    anna = await make_employee("EMPLOYEE")
    ours, theirs = await make_relation("Ons B.V."), await make_relation("Hun B.V.")
    good, foreign = await make_contact(ours, "Visser"), await make_contact(theirs, "Smit")
    data = await api.gql(
        CREATE,
        {"i": appointment_input([anna.id], relationId=ours, contactIds=[good, foreign])},
        token=anna.token,
    )
    assert data["createAppointment"]["errors"] == [
        {
            "field": ["input", "contactIds", "1"],
            "code": "INVALID",
            "message": "This contact person is not of the relation.",
        }
    ]
    assert await Appointment.all().count() == 0
    assert await AppointmentContact.all().count() == 0


async def test_an_update_replaces_the_fields_and_people_and_keeps_the_uid(api):
    anna, bob = await make_employee("EMPLOYEE"), await make_employee("EMPLOYEE")
    created = await api.gql(CREATE, {"i": appointment_input([anna.id])}, token=anna.token)
    before = created["createAppointment"]["appointment"]
    start = soon(days=5, hour=13)
    data = await api.gql(
        UPDATE,
        {
            "id": before["id"],
            "i": appointment_input([bob.id], title="Aangifte IB", start=start, location="Online"),
        },
        token=anna.token,
    )
    after = data["updateAppointment"]["appointment"]
    assert data["updateAppointment"]["errors"] == []
    assert after["uid"] == before["uid"]
    assert (after["title"], after["location"]) == ("Aangifte IB", "Online")
    assert after["start"] == start.isoformat()
    assert after["employees"] == [{"id": bob.id}]
    versions = await Version.filter(entity="appointment", entity_id=before["id"]).order_by("id")
    assert [v.op for v in versions] == ["create", "update"]
    assert versions[1].changes["title"] == ["Jaarrekening bespreken", "Aangifte IB"]
    ops = (
        await Version.filter(entity="appointment_employee")
        .order_by("id")
        .values_list("op", flat=True)
    )
    assert list(ops) == ["create", "delete", "create"]


async def test_cancelling_keeps_the_appointment_and_records_it(api):
    anna = await make_employee("EMPLOYEE")
    created = await api.gql(CREATE, {"i": appointment_input([anna.id])}, token=anna.token)
    appointment_id = created["createAppointment"]["appointment"]["id"]
    data = await api.gql(CANCEL, {"id": appointment_id}, token=anna.token)
    assert data["cancelAppointment"]["appointment"]["status"] == "CANCELLED"
    version = await Version.filter(entity="appointment", op="update").get()
    assert version.changes["status"] == ["PLANNED", "CANCELLED"]
    again = await api.gql(
        UPDATE, {"id": appointment_id, "i": appointment_input([anna.id])}, token=anna.token
    )
    assert again["updateAppointment"]["errors"][0]["code"] == "CONFLICT"


async def test_a_colleague_not_on_the_appointment_may_not_change_it(api):
    anna, bob = await make_employee("EMPLOYEE"), await make_employee("EMPLOYEE")
    manager = await make_employee("MANAGER")
    created = await api.gql(CREATE, {"i": appointment_input([anna.id])}, token=anna.token)
    appointment_id = created["createAppointment"]["appointment"]["id"]
    refused = await api.gql(CANCEL, {"id": appointment_id}, token=bob.token)
    assert refused["cancelAppointment"]["errors"][0]["code"] == "FORBIDDEN"
    assert (await Appointment.get(id=appointment_id)).status == "PLANNED"
    allowed = await api.gql(CANCEL, {"id": appointment_id}, token=manager.token)
    assert allowed["cancelAppointment"]["appointment"]["status"] == "CANCELLED"
    assert await AppointmentEmployee.filter(appointment_id=appointment_id).count() == 1
