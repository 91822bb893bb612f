"""Column lists written out in code match the models, whenever the module is imported.

A server worker process imports the resolvers before Tortoise is initialised, when a model's
projection still lacks its foreign keys; a list computed from it then would be short.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = """
import asyncio
import server.app  # what a uvicorn worker imports first, before the ORM is initialised
from server import db
from server.models import CustomFieldDefinition, CustomFieldValue
from server.services.custom_fields import DEFINITION_COLUMNS, VALUE_COLUMNS

async def main():
    await db.init("sqlite:///:memory:")
    assert set(VALUE_COLUMNS) == set(CustomFieldValue._meta.fields_db_projection), VALUE_COLUMNS
    assert set(DEFINITION_COLUMNS) == set(CustomFieldDefinition._meta.fields_db_projection)
    await db.close()

asyncio.run(main())
"""


def test_column_lists_imported_before_the_orm_is_ready_are_complete(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env={"RELATIEBEHEER_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
