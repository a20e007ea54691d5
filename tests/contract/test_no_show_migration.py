"""SQL migration 9, its no-shows part, on SQLite and PostgreSQL: a version-8 database
(sessions and RSVPs, no `seat_marks` table) keeps its rows and takes seat marks at once: the
table, its unique key and its indexes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from adapters.sql import SqlSessionStore, open_sql_store
from core.seat_marks import MarkKind, SeatMark
from tests.contract.test_start_time_migration import assert_at_head, database
from tests.contract.version_8 import T0, make_version_8


def marks_schema(connection: Connection) -> tuple[bool, set[str]]:
    """Whether `seat_marks` exists, and its indexes."""
    inspector = inspect(connection)
    if not inspector.has_table("seat_marks"):
        return False, set()
    return True, {str(i["name"]) for i in inspector.get_indexes("seat_marks")}


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_8_keeps_its_rows_and_takes_seat_marks(kind: str, tmp_path: Path) -> None:
    async with database(kind, tmp_path) as url:
        session, rsvps = await make_version_8(url, capacity=1, undo=["DROP TABLE seat_marks"])
        store: SqlSessionStore = await open_sql_store(url)
        try:
            await assert_at_head(store)
            async with store.engine.connect() as connection:
                exists, indexes = await connection.run_sync(marks_schema)
            assert exists
            assert {"ix_seat_marks_member_id_created_at", "ix_seat_marks_created_at"} <= indexes
            assert await store.get_session("s1") == session
            assert await store.list_rsvps("s1") == rsvps
            mark = SeatMark(
                session_id="s1",
                member_id="terminal:bo",
                kind=MarkKind.NO_SHOW,
                created_at=T0 + timedelta(days=2, hours=2),
            )
            assert await store.add_seat_mark(mark)
            assert not await store.add_seat_mark(mark)  # the unique key came with the table
            assert await store.list_session_marks("s1") == [mark]
        finally:
            await store.close()
