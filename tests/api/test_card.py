"""The whole card in one query, with a number of SQL statements that does not grow with it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.api.card_data import LARGE, SMALL, build_card
from tests.factories import make_employee
from tests.sql_log import logged_statements

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_CARD = ROOT.parent / "shared" / "contract" / "operations" / "RelationCard.graphql"
# Without the contract beside the project, the verbatim copy the snapshots use.
CARD = (
    CONTRACT_CARD if CONTRACT_CARD.exists() else ROOT / "server/services/snapshot_card.graphql"
).read_text(encoding="utf-8")
BASELINE = Path(__file__).with_name("sql_baseline.json")
WINDOW = {"from": "2026-01-01T00:00:00Z", "to": "2027-12-31T00:00:00Z"}


async def _card(api, token: str, relation_id: str) -> tuple[dict, int]:
    with logged_statements() as counter:
        data = await api.gql(CARD, {"id": relation_id, **WINDOW}, token=token)
    return data["relation"], len(counter.statements)


async def test_the_relation_card_operation_returns_every_section(api):
    viewer = await make_employee("MANAGER")
    relation_id = await build_card(SMALL)
    card, _ = await _card(api, viewer.token, relation_id)
    assert card["displayName"] == "Bakkerij De Korenschoof B.V."
    assert len(card["contacts"]) == 1
    assert card["links"][0]["to"]["displayName"] == "Bank 0"
    assert [s["holder"]["displayName"] for s in card["shareholders"]] == [
        "Korenschoof Holding B.V."
    ]
    assert len(card["participations"]) == 1
    assert {(g["depth"], g["subsidiary"]["displayName"]) for g in card["group"]} == {
        (0, "Bakkerij De Korenschoof B.V."),
        (1, "Werkmaatschappij 0 B.V."),
    }
    assert card["staff"][0]["employee"]["name"] == "Medewerker 0"
    assert card["appointments"][0]["title"] == "Overleg 0"
    assert card["accounts"][0]["externalId"] == "K-1"
    assert card["customFields"][0]["value"] == 12
    assert card["addresses"][0]["postalCode"] == "1234 AB"


async def test_a_large_card_costs_the_same_sql_statements_as_a_small_one(api):
    viewer = await make_employee("MANAGER")
    small_id = await build_card(SMALL)
    large_id = await build_card(LARGE)
    small, small_count = await _card(api, viewer.token, small_id)
    large, large_count = await _card(api, viewer.token, large_id)
    assert len(large["contacts"]) == 500
    assert len(large["links"]) == 100
    assert len(large["staff"]) == 50
    assert len(large["appointments"]) == 2000
    assert len(small["appointments"]) == 1
    assert large_count == small_count
    baseline = json.loads(BASELINE.read_text())["RelationCard"]
    assert large_count <= baseline, f"card now takes {large_count} statements (baseline {baseline})"
