"""Relation numbers: unique under concurrent creates, no gap after a refused create."""

from __future__ import annotations

import asyncio

from server.errors import DomainErrors
from server.models import Relation
from server.services import relations


def org(name: str, kvk: str | None = None) -> dict:
    return {"partyType": "ORGANISATION", "organisation": {"legalName": name, "kvkNumber": kvk}}


async def test_concurrent_creates_get_distinct_consecutive_numbers(db):
    await asyncio.gather(*(relations.create_relation(None, org(f"Bedrijf {n}")) for n in range(8)))
    numbers = sorted(await Relation.all().values_list("number", flat=True))
    assert numbers == [str(10001 + n) for n in range(8)]


async def test_a_refused_create_does_not_use_up_a_number(db):
    await relations.create_relation(None, org("Eerste", "12345678"))
    try:
        await relations.create_relation(None, org("Dubbel", "12345678"))
    except DomainErrors as refused:
        assert [e.code for e in refused.errors] == ["CONFLICT"]
    else:
        raise AssertionError("a duplicate KvK number was accepted")
    await relations.create_relation(None, org("Tweede"))
    assert sorted(await Relation.all().values_list("number", flat=True)) == ["10001", "10002"]
