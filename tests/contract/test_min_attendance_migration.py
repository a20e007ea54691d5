"""SQL migration 9, its minimum-attendance part, on SQLite and PostgreSQL: a version-8
database (sessions without `min_going` / `min_decide_minutes`, no
`min_attendance_decisions` table) keeps its sessions and RSVPs, reads them with no minimum,
and takes minimums and decisions at once (the table and its due index)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.schema import MIN_ATTENDANCE_COLUMNS, MIN_DECISION_DUE_INDEX
from core.min_attendance import MinDecision, MinState
from tests.contract.test_start_time_migration import assert_at_head, database
from tests.contract.version_8 import START, T0, make_version_8

UNDO = [
    "DROP TABLE min_attendance_decisions",
    *(f"ALTER TABLE training_sessions DROP COLUMN {name}" for name in MIN_ATTENDANCE_COLUMNS),
]


def min_schema(connection: Connection) -> tuple[set[str], set[str] | None]:
    """The minimum columns of `training_sessions`, and the decisions table's indexes (None:
    no such table)."""
    inspector = inspect(connection)
    columns = {str(c["name"]) for c in inspector.get_columns("training_sessions")}
    if not inspector.has_table("min_attendance_decisions"):
        return columns & set(MIN_ATTENDANCE_COLUMNS), None
    indexes = {str(i["name"]) for i in inspector.get_indexes("min_attendance_decisions")}
    return columns & set(MIN_ATTENDANCE_COLUMNS), indexes


async def test_the_version_8_stand_in_lacks_the_minimum(tmp_path: Path) -> None:
    async with database("sqlite", tmp_path) as url:
        await make_version_8(url, capacity=4, undo=UNDO)
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                assert await connection.run_sync(min_schema) == (set(), None)
        finally:
            await engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_8_keeps_its_rows_and_takes_minimum_attendance(
    kind: str, tmp_path: Path
) -> None:
    async with database(kind, tmp_path) as url:
        session, rsvps = await make_version_8(url, capacity=4, undo=UNDO)
        store: SqlSessionStore = await open_sql_store(url)
        try:
            await assert_at_head(store)
            async with store.engine.connect() as connection:
                columns, indexes = await connection.run_sync(min_schema)
            assert columns == set(MIN_ATTENDANCE_COLUMNS)
            assert indexes is not None and MIN_DECISION_DUE_INDEX in indexes
            assert await store.get_session("s1") == session  # no minimum
            assert session.min_going is None and session.min_decide_minutes is None
            assert await store.list_rsvps("s1") == rsvps
            assert await store.next_min_decision_due() is None
            with_min = session.model_copy(update={"min_going": 3, "min_decide_minutes": 120})
            await store.save_session(with_min)
            assert await store.get_session("s1") == with_min
            decision = MinDecision(
                session_id="s1",
                start_time=START,
                minimum=3,
                due_at=START - timedelta(hours=2),
                updated_at=T0,
            )
            await store.save_min_decision(decision)
            assert await store.next_min_decision_due() == START - timedelta(hours=2)
            enough = decision.model_copy(update={"state": MinState.ENOUGH, "due_at": None})
            assert await store.update_min_decision(enough, MinState.PLANNED)
            assert await store.get_min_decision("s1") == enough
        finally:
            await store.close()
