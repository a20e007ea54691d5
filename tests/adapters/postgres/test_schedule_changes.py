"""The clock process hears about schedule changes made by other processes (LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.schedule_changes import ScheduleChangeListener, asyncpg_dsn
from core.model import Reminder, ReminderKind, TrainingSession

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WITHIN = 10.0


def session(session_id: str) -> TrainingSession:
    return TrainingSession(
        id=session_id,
        title="Kata",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=T0 + timedelta(days=1),
        duration_minutes=60,
        created_at=T0,
        updated_at=T0,
    )


class Replans:
    """Counts `on_change` calls and lets a test await the next one."""

    def __init__(self) -> None:
        self.count = 0
        self.called = asyncio.Event()

    async def __call__(self) -> None:
        self.count += 1
        self.called.set()

    async def next(self) -> None:
        await asyncio.wait_for(self.called.wait(), WITHIN)
        self.called.clear()


async def test_writes_of_another_process_wake_the_listener(
    pg_store: SqlSessionStore, pg_url: str
) -> None:
    replans = Replans()
    other = await open_sql_store(pg_url)  # the web or chat process
    try:
        async with ScheduleChangeListener(pg_url, replans, max_interval=3600):
            await other.add_session(session("s1"))
            await replans.next()
            reminder = Reminder(
                session_id="s1",
                kind=ReminderKind.BEFORE_1H,
                start_time=T0 + timedelta(hours=1),
                due_at=T0,
                useful_until=T0 + timedelta(hours=1),
            )
            await other.replace_reminders("s1", [reminder])
            await replans.next()
            changed = session("s1").model_copy(update={"title": "Kata II"})
            await other.save_session(changed)
            await replans.next()
            await other.postpone_reminder("s1", ReminderKind.BEFORE_1H, T0 + timedelta(minutes=5))
            await replans.next()
            assert replans.count == 4
    finally:
        await other.close()


async def test_reads_and_rsvps_do_not_notify(pg_store: SqlSessionStore, pg_url: str) -> None:
    await pg_store.add_session(session("s1"))
    replans = Replans()
    async with ScheduleChangeListener(pg_url, replans, max_interval=3600):
        await pg_store.rsvp_going("s1", "m1", "Ann", T0)
        await pg_store.list_rsvps("s1")
        await pg_store.add_session(session("s2"))  # a notifying write after the others
        await replans.next()
    assert replans.count == 1  # only the last write notified (notifications arrive in order)


async def test_without_notifications_it_still_replans_periodically(pg_url: str) -> None:
    replans = Replans()
    async with ScheduleChangeListener(pg_url, replans, max_interval=0.05):
        await replans.next()
        await replans.next()
    assert replans.count >= 2


async def test_a_lost_listener_connection_reconnects(
    pg_store: SqlSessionStore, pg_url: str
) -> None:
    replans = Replans()
    async with ScheduleChangeListener(pg_url, replans, max_interval=3600) as listener:
        listener._connection.terminate()  # the connection drops …
        await replans.next()  # … which counts as a change (something may have been missed)
        await pg_store.add_session(session("s1"))  # and it listens again afterwards
        await replans.next()


def test_only_postgres_urls_can_listen() -> None:
    assert asyncpg_dsn("postgres://u:p@db:5433/x?sslmode=require") == (
        "postgresql://u:p@db:5433/x?sslmode=require"
    )
    with pytest.raises(ValueError, match="PostgreSQL"):
        asyncpg_dsn("sqlite+aiosqlite:///x.db")
