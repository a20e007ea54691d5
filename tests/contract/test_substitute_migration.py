"""SQL migration 9, its substitutes part, on SQLite and PostgreSQL: a version-8 database
(sessions, no `substitute_requests` table) keeps its sessions and RSVPs and takes substitute
requests at once: the table and its status/due index."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.schema import SUBSTITUTE_DUE_INDEX
from core.substitutes import SubstituteRequest, SubstituteStatus, finished
from tests.contract.test_start_time_migration import assert_at_head, database
from tests.contract.version_8 import T0, make_version_8


def substitute_schema(connection: Connection) -> tuple[bool, set[str]]:
    """Whether `substitute_requests` exists, and its indexes."""
    inspector = inspect(connection)
    if not inspector.has_table("substitute_requests"):
        return False, set()
    return True, {str(i["name"]) for i in inspector.get_indexes("substitute_requests")}


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_8_keeps_its_rows_and_takes_substitute_requests(
    kind: str, tmp_path: Path
) -> None:
    async with database(kind, tmp_path) as url:
        session, rsvps = await make_version_8(
            url, capacity=1, undo=["DROP TABLE substitute_requests"]
        )
        store: SqlSessionStore = await open_sql_store(url)
        try:
            async with store.engine.connect() as connection:
                exists, _ = await connection.run_sync(substitute_schema)
            assert exists  # opening migrated it
            await assert_at_head(store)
            async with store.engine.connect() as connection:
                _, indexes = await connection.run_sync(substitute_schema)
            assert SUBSTITUTE_DUE_INDEX in indexes
            assert await store.get_session("s1") == session
            assert await store.list_rsvps("s1") == rsvps
            assert await store.next_substitute_due() is None
            request = SubstituteRequest(
                session_id="s1",
                requested_by="terminal:sensei",
                instructor_id="terminal:sensei",
                instructor_name="Sensei",
                created_at=T0,
                others_at=T0 + timedelta(minutes=30),
                answer_by=T0 + timedelta(hours=20),
                due_at=T0 + timedelta(minutes=30),
                updated_at=T0,
            )
            assert await store.open_substitute_request(request)
            assert await store.next_substitute_due() == T0 + timedelta(minutes=30)
            taken = finished(request, SubstituteStatus.TAKEN, T0, ("terminal:kyo", "Kyo"))
            assert await store.update_substitute_request(taken, SubstituteStatus.OPEN)
            assert await store.get_substitute_request("s1") == taken
        finally:
            await store.close()
