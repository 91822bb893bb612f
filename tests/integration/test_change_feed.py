"""The change feed: the same events in sequence order, paged with `after`, without BSN."""

from __future__ import annotations

from server.models import ChangeEvent, Relation
from server.services.unit import unit_of_work
from tests.factories import make_employee
from tests.integration.helpers import ADMIN, create_relation, rename_relation

FEED = """query($after: String, $first: Int) { changes(after: $after, first: $first) {
  id sequence type occurredAt payload relation { id } } }"""


async def test_the_feed_pages_through_every_event_in_sequence_order(api):
    manager = await make_employee("MANAGER")
    relation_id = await create_relation(ADMIN, "Aannemer BV")
    for n in range(4):
        await rename_relation(ADMIN, relation_id, f"Aannemer {n} BV")
    expected = [
        str(i) for i in await ChangeEvent.all().order_by("sequence").values_list("id", flat=True)
    ]

    first = (await api.gql(FEED, {"first": 2}, token=manager.token))["changes"]
    rest = (await api.gql(FEED, {"after": first[-1]["sequence"]}, token=manager.token))["changes"]
    done = (await api.gql(FEED, {"after": rest[-1]["sequence"]}, token=manager.token))["changes"]

    events = first + rest
    assert [e["id"] for e in events] == expected
    sequences = [int(e["sequence"]) for e in events]
    assert sequences == sorted(sequences) and len(set(sequences)) == 5
    assert done == []
    assert [e["type"] for e in events] == ["relation.created"] + ["relation.updated"] * 4
    assert {e["relation"]["id"] for e in events} == {relation_id}
    payload = events[-1]["payload"]
    number = (await Relation.get(id=relation_id)).number
    assert (payload["relationId"], payload["relationNumber"], payload["entity"]) == (
        relation_id,
        number,
        "relation",
    )
    assert payload["changes"]["display_name"] == ["Aannemer 2 BV", "Aannemer 3 BV"]
    assert set(payload["changes"]) == {"display_name", "updated_at"}


async def test_the_feed_never_carries_a_bsn(api):
    manager = await make_employee("PARTNER")
    await create_relation(ADMIN, "Pietersen", bsn="123456782")

    response = await api.post(FEED, {}, token=manager.token)

    text = response.text
    assert response.status_code == 200
    for secret in ("123456782", "bsn_encrypted", "bsn_index", "bsn_last_digits"):
        assert secret not in text


async def test_first_is_capped_at_a_hundred_and_a_bad_position_is_refused(api):
    manager = await make_employee("MANAGER")
    relation_id = await create_relation(ADMIN, "Groothandel BV")
    async with unit_of_work(ADMIN) as unit:
        for n in range(100):
            unit.event("custom_fields.updated", relation_id, {"entity": "custom_value", "id": n})

    page = (await api.gql(FEED, {"first": 500}, token=manager.token))["changes"]
    bad_after = (await api.post(FEED, {"after": "abc"}, token=manager.token)).json()
    none = await api.gql(FEED, {"first": 0}, token=manager.token)

    assert len(page) == 100
    assert bad_after["errors"][0]["extensions"]["code"] == "INVALID"
    assert none["changes"] == []


async def test_an_employee_may_not_read_the_feed(api):
    employee = await make_employee("EMPLOYEE")
    await create_relation(ADMIN, "Winkel BV")

    body = (await api.post(FEED, {}, token=employee.token)).json()

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
