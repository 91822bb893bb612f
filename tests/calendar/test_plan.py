"""The three-way decision and the written conflict rule, case by case (no I/O)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from server.integrations.calendar_plan import Kind, Local, Remote, Status, decide
from server.integrations.ical import EventData, fingerprint

NOON = datetime(2027, 3, 1, 12, tzinfo=UTC)
BASE = EventData(
    uid="u@x",
    title="Jaarrekening",
    description=None,
    location=None,
    start=NOON,
    end=NOON + timedelta(hours=1),
    all_day=False,
    cancelled=False,
    last_modified=NOON,
)
SYNCED = Status("u@x", "/anna/werk/u@x.ics", '"1"', fingerprint(BASE), fingerprint(BASE), "a1")


def local(event: EventData, participant: bool = True) -> Local:
    return Local("a1", event, fingerprint(event), participant)


def remote(event: EventData | None, etag: str = '"2"') -> Remote:
    return Remote("/anna/werk/u@x.ics", etag, event, fingerprint(event) if event else None)


def both_changed(crm_stamp: datetime, calendar_stamp: datetime | None):
    crm = replace(BASE, title="CRM", last_modified=crm_stamp)
    calendar = replace(BASE, title="Agenda", last_modified=calendar_stamp)
    return decide("u@x", SYNCED, local(crm), remote(calendar), deleted=False)


def test_the_later_calendar_change_wins():
    action = both_changed(NOON, NOON + timedelta(seconds=1))
    assert action is not None and action.kind is Kind.PULL
    assert action.note is not None and action.note.startswith("both changed; the calendar's")


def test_a_tie_goes_to_the_crm():
    action = both_changed(NOON, NOON)
    assert action is not None and action.kind is Kind.PUSH_UPDATE
    assert action.etag == '"2"'


def test_an_event_without_a_timestamp_loses_to_the_crm():
    action = both_changed(NOON, None)
    assert action is not None and action.kind is Kind.PUSH_UPDATE


def test_a_crm_cancellation_that_wins_deletes_the_event():
    crm = replace(BASE, cancelled=True, last_modified=NOON + timedelta(hours=1))
    calendar = replace(BASE, title="Agenda", last_modified=NOON)
    action = decide("u@x", SYNCED, local(crm), remote(calendar), deleted=False)
    assert action is not None and action.kind is Kind.PUSH_DELETE


def test_a_change_beats_a_deletion_in_the_calendar():
    crm = replace(BASE, title="CRM")
    action = decide("u@x", SYNCED, local(crm), None, deleted=True)
    assert action is not None and action.kind is Kind.PUSH_CREATE


def test_an_unchanged_appointment_follows_a_deletion_in_the_calendar():
    action = decide("u@x", SYNCED, local(BASE), None, deleted=True)
    assert action is not None and action.kind is Kind.PULL_DELETE


def test_a_new_etag_with_the_same_content_only_updates_the_status_row():
    action = decide("u@x", SYNCED, local(BASE), remote(BASE), deleted=False)
    assert action is not None and action.kind is Kind.RECORD


def test_nothing_happens_when_nothing_changed():
    assert decide("u@x", SYNCED, local(BASE), None, deleted=False) is None


def test_an_employee_taken_off_in_the_crm_loses_the_event():
    action = decide("u@x", SYNCED, None, None, deleted=False)
    assert action is not None and action.kind is Kind.PUSH_DELETE


def test_a_resource_without_an_event_is_remembered_and_ignored():
    action = decide("href:/anna/werk/taak.ics", None, None, remote(None), deleted=False)
    assert action is not None and action.kind is Kind.IGNORE


def test_the_same_event_found_on_both_sides_is_linked_not_copied():
    action = decide("u@x", None, local(BASE), remote(BASE), deleted=False)
    assert action is not None and action.kind is Kind.RECORD
