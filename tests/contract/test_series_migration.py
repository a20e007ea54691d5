"""SQL migration 6 on SQLite and PostgreSQL: a version-5 database keeps every session,
RSVP and reminder, its sessions are one-offs (`series_id` NULL), and weekly classes can be
stored at once (issue 14: "a migration from today's schema that loses nothing")."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.migrations import schema_version
from adapters.sql.schema import SERIES_INDEX
from core.model import SessionFilter, TrainingSession
from core.recurrence import WeeklyRule
from core.reminders import plan_reminders
from core.series import Series
from tests.contract.test_start_time_migration import assert_at_head, database

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def make_version_5(url: str) -> None:
    """A database as version 5 left it, holding a session with an RSVP and reminders."""
    store = await open_sql_store(url)
    try:
        session = TrainingSession(
            id="s1",
            title="Kata",
            instructor_id="terminal:sensei",
            instructor_name="Sensei",
            start_time=T0 + timedelta(days=2),
            duration_minutes=60,
            capacity=10,
            created_at=T0,
            updated_at=T0,
        )
        await store.add_session(session)
        await store.rsvp_going("s1", "terminal:ana", "Ana", T0)
        await store.replace_reminders("s1", plan_reminders(session, T0))
        async with store.engine.begin() as connection:
            for table in ("series_skips", "standing_rsvps", "series"):
                await connection.execute(text(f"DROP TABLE {table}"))
            await connection.execute(text(f"DROP INDEX {SERIES_INDEX}"))
            await connection.execute(text("ALTER TABLE training_sessions DROP COLUMN series_id"))
            await connection.execute(schema_version.delete().where(schema_version.c.version > 5))
    finally:
        await store.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_5_keeps_everything_and_takes_weekly_classes(
    kind: str, tmp_path: Path
) -> None:
    async with database(kind, tmp_path) as url:
        await make_version_5(url)
        store: SqlSessionStore = await open_sql_store(url)
        try:
            await assert_at_head(store)
            session = await store.get_session("s1")
            assert session is not None and session.series_id is None and session.capacity == 10
            assert [r.member_id for r in await store.list_rsvps("s1")] == ["terminal:ana"]
            assert await store.next_reminder_due() is not None
            rule = WeeklyRule(
                weekdays=frozenset({0}),
                local_time=time(18, 0),
                timezone="UTC",
                first_day=date(2026, 12, 7),
                until=date(2027, 3, 1),
            )
            series = Series(
                id="k1",
                root_id="k1",
                title="Kids",
                instructor_id="terminal:sensei",
                instructor_name="Sensei",
                rule=rule,
                duration_minutes=60,
                created_at=T0,
                updated_at=T0,
            )
            await store.add_series(series)
            assert await store.get_series("k1") == series
            assert await store.list_sessions(SessionFilter(series_id="k1")) == []
        finally:
            await store.close()
