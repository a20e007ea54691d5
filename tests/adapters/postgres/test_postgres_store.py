"""What only the PostgreSQL store has: URL spellings, timestamptz columns, migrations under
an advisory lock, and no connection left behind."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.engine import normalise_url
from adapters.sql.migrations import head_version, migrate, schema_version
from core.errors import InvalidState
from core.model import Reminder, ReminderKind, TrainingSession
from tests.adapters.postgres.conftest import assert_no_connection_left

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def session(session_id: str = "s1") -> TrainingSession:
    return TrainingSession(
        id=session_id,
        title="Ukemi",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=T0.astimezone(timezone(timedelta(hours=-5))),
        duration_minutes=60,
        created_at=T0,
        updated_at=T0,
    )


def test_heroku_style_urls_become_asyncpg_urls() -> None:
    for raw in ("postgres://u:p@db:5432/dojo", "postgresql://u:p@db:5432/dojo"):
        url = normalise_url(raw)
        assert url.drivername == "postgresql+asyncpg"
        assert url.render_as_string(hide_password=False) == "postgresql+asyncpg://u:p@db:5432/dojo"
    assert normalise_url("postgres://u@db/dojo?sslmode=require").query == {"ssl": "require"}
    assert normalise_url("sqlite+aiosqlite:///data/x.db").drivername == "sqlite+aiosqlite"


async def test_a_postgres_scheme_url_opens_the_store(pg_url: str) -> None:
    plain = pg_url.replace("postgresql+asyncpg://", "postgres://")
    store = await open_sql_store(plain)
    try:
        assert store.engine.dialect.driver == "asyncpg"
        await store.add_session(session())
        assert await store.get_session("s1") == session()
    finally:
        await store.close()


async def test_times_are_stored_as_timestamptz_and_read_back_in_utc(
    pg_store: SqlSessionStore,
) -> None:
    await pg_store.add_session(session())
    found = await pg_store.get_session("s1")
    assert found is not None
    assert found.start_time == T0
    assert found.start_time.tzinfo == UTC
    async with pg_store.engine.connect() as connection:
        types = set(
            await connection.scalars(
                text(
                    "SELECT DISTINCT data_type FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND column_name IN "
                    "('start_time', 'created_at', 'due_at', 'claimed_at', 'applied_at')"
                )
            )
        )
    assert types == {"timestamp with time zone"}


async def test_concurrent_first_opens_migrate_once(pg_url: str) -> None:
    stores = await asyncio.gather(*(open_sql_store(pg_url) for _ in range(5)))
    try:
        async with stores[0].engine.connect() as connection:
            applied = await connection.scalar(select(func.count()).select_from(schema_version))
        assert applied == head_version()
        assert await migrate(stores[1].engine) == head_version()
        await stores[2].add_session(session())
        assert await stores[3].get_session("s1") == session()
    finally:
        for store in stores:
            await store.close()


async def test_every_kind_of_call_returns_its_connection(pg_store: SqlSessionStore) -> None:
    """Writes, one-statement reads, snapshot reads, failures: the pool is whole afterwards."""
    await pg_store.add_session(session())
    await pg_store.get_sessions([f"s{n}" for n in range(500)])  # several statements
    reminder = Reminder(
        session_id="s1", kind=ReminderKind.BEFORE_1H, start_time=T0, due_at=T0, useful_until=T0
    )
    await pg_store.replace_reminders("s1", [reminder])
    await pg_store.due_reminders(T0, 10)
    with pytest.raises(InvalidState):
        await pg_store.add_session(session())  # refused: id taken
    await assert_no_connection_left(pg_store)
