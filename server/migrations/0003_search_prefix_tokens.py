"""Search tokens become every prefix of a relation's words (search_index.prefixes).

No column changes: every relation's token rows are written anew with the token function
of the running code, in one transaction. The table's indexes are dropped
for the load and built again once over all rows (far faster than row by row).
"""

import json

from tortoise import migrations
from tortoise.migrations import operations as ops

from server.db import drop_indexes
from server.services.search_index import (
    ADDRESS_COLUMNS,
    CONTACT_COLUMNS,
    RELATION_COLUMNS,
    by_relation,
    token_rows,
)

BATCH = 1000
TABLE = "relation_search_token"
TOKEN_COLUMNS = ("relation_id", "token", "sort_name", "status", "party_type", "kinds_mask",
                 "legal_form")  # fmt: skip


async def rebuild_search_tokens(apps, schema_editor):
    # Tortoise runs a migration in a transaction only where DDL can roll back (PostgreSQL):
    # on SQLite every statement would commit (and sync) alone. One transaction either way
    # (on PostgreSQL a savepoint inside the migration's).
    async with schema_editor.client._in_transaction() as client:
        await _rebuild(client)


async def _rebuild(client):
    postgres = client.capabilities.dialect == "postgres"

    def marks(count):
        return ", ".join(f"${i + 1}" if postgres else "?" for i in range(count))

    def quoted(columns):
        return ", ".join(f'"{c}"' for c in columns)

    if not await client.execute_query_dict('SELECT 1 AS x FROM "relation" LIMIT 1'):
        return  # a new database: nothing to rebuild
    recreate = await drop_indexes(client, TABLE)
    await client.execute_query(f'DELETE FROM "{TABLE}"')
    insert = f'INSERT INTO "{TABLE}" ({quoted(TOKEN_COLUMNS)}) VALUES ({marks(len(TOKEN_COLUMNS))})'
    last = None
    while True:
        after = f"WHERE id > {marks(1)} " if last else ""
        relations = await client.execute_query_dict(
            f'SELECT {quoted(RELATION_COLUMNS)} FROM "relation" {after}ORDER BY id LIMIT {BATCH}',
            [last] if last else [],
        )
        if not relations:
            break
        ids = [str(r["id"]) for r in relations]
        last = ids[-1]
        within = f"WHERE relation_id IN ({marks(len(ids))})"
        addresses = by_relation(await client.execute_query_dict(
            f'SELECT {quoted(ADDRESS_COLUMNS)} FROM "address" {within}', ids
        ))
        contacts = by_relation(await client.execute_query_dict(
            f'SELECT {quoted(CONTACT_COLUMNS)} FROM "contact_person" {within}', ids
        ))
        rows = []
        for relation in map(dict, relations):
            if isinstance(relation.get("trade_names"), str):  # JSON as text on SQLite
                relation["trade_names"] = json.loads(relation["trade_names"])
            rid = str(relation["id"])
            for row in token_rows(relation, addresses[rid], contacts[rid]):
                rows.append([rid, *(row[c] for c in TOKEN_COLUMNS[1:])])
        await client.execute_many(insert, rows)
    for statement in recreate:
        await client.execute_query(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0002_foreign_key_indexes")]

    initial = False

    operations = [
        ops.RunPython(rebuild_search_tokens, ops.RunPython.noop),
    ]
