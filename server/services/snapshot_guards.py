"""Database triggers that make the snapshot table append-only, on SQLite and PostgreSQL.

Installed by `server.db.migrate()` after the migrations (idempotent), so that every
database the server runs on refuses UPDATE and DELETE of a snapshot, whoever asks.
TRUNCATE is deliberately not guarded: the test fixture empties tables with it.
"""

from __future__ import annotations

from typing import Any

SQLITE_GUARDS = """
CREATE TRIGGER IF NOT EXISTS snapshot_refuse_update BEFORE UPDATE ON snapshot
BEGIN SELECT RAISE(ABORT, 'snapshots are immutable: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS snapshot_refuse_delete BEFORE DELETE ON snapshot
BEGIN SELECT RAISE(ABORT, 'snapshots are immutable: DELETE refused'); END;
"""

POSTGRES_GUARDS = """
CREATE OR REPLACE FUNCTION snapshot_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'snapshots are immutable: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_trigger
        WHERE tgname = 'snapshot_immutable' AND tgrelid = 'snapshot'::regclass
    ) THEN
        CREATE TRIGGER snapshot_immutable BEFORE UPDATE OR DELETE ON snapshot
        FOR EACH ROW EXECUTE FUNCTION snapshot_refuse_change();
    END IF;
END
$$;
"""

TRIGGER_NAMES = {
    "sqlite": ("snapshot_refuse_update", "snapshot_refuse_delete"),
    "postgres": ("snapshot_immutable",),
}


async def install_guards(connection: Any) -> None:
    """Create the snapshot table's UPDATE/DELETE triggers if they are missing."""
    if connection.capabilities.dialect == "postgres":
        await connection.execute_script(POSTGRES_GUARDS)
    else:
        await connection.execute_script(SQLITE_GUARDS)
