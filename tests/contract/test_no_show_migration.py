"""SQL migration 9, its no-shows part, on SQLite and PostgreSQL: a version-8 database
(sessions and RSVPs, no `seat_marks` table) keeps its rows and takes seat marks at once: the
table, its unique key and its indexes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.migrations import schema_version
from core.model import Rsvp, TrainingSession
from core.seat_marks import MarkKind, SeatMark
from tests.contract.test_start_time_migration import assert_at_head, database

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def a_session() -> TrainingSession:
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=T0 + timedelta(days=2),
        duration_minutes=60,
        capacity=1,
        created_at=T0,
        updated_at=T0,
    )


async def make_version_8(url: str) -> tuple[TrainingSession, list[Rsvp]]:
    """A database as version 8 left it: one session, one going, one waitlisted; no
    `seat_marks` table."""
    store = await open_sql_store(url)
    try:
        await store.add_session(a_session())
        for n, member in enumerate(("ana", "bo")):
            await store.rsvp_going("s1", f"terminal:{member}", member, T0 + timedelta(seconds=n))
        kept = await store.get_session("s1"), await store.list_rsvps("s1")
        async with store.engine.begin() as connection:
            await connection.execute(text("DROP TABLE seat_marks"))
            await connection.execute(schema_version.delete().where(schema_version.c.version > 8))
        assert kept[0] is not None
        return kept[0], kept[1]
    finally:
        await store.close()


def marks_schema(connection: Connection) -> tuple[bool, set[str]]:
    """Whether `seat_marks` exists, and its indexes."""
    inspector = inspect(connection)
    if not inspector.has_table("seat_marks"):
        return False, set()
    return True, {str(i["name"]) for i in inspector.get_indexes("seat_marks")}


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_8_keeps_its_rows_and_takes_seat_marks(kind: str, tmp_path: Path) -> None:
    async with database(kind, tmp_path) as url:
        session, rsvps = await make_version_8(url)
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
