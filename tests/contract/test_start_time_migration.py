"""SQL migration 5 on SQLite and PostgreSQL: reminders and deliveries of a version-4 database
keep their rows, each given its session's start time, and sessions get sequence 0."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.migrations import head_version, schema_version
from adapters.sql.types import UtcDateTime
from core.errors import NotFound
from core.model import DeliveryKey, ReminderKind, TrainingSession
from tests.contract.conftest import sqlite_url
from tests.pg_server import fresh_database, require_server

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = T0 + timedelta(days=1)
H24, H1 = ReminderKind.BEFORE_24H, ReminderKind.BEFORE_1H


def _v4_tables() -> tuple[Table, Table]:
    """`reminders` and `deliveries` as version 4 had them (no start time)."""
    old = MetaData()
    reminders = Table(
        "reminders",
        old,
        Column("session_id", String(200), primary_key=True),
        Column("kind", String(32), primary_key=True),
        Column("due_at", UtcDateTime, nullable=False),
        Column("useful_until", UtcDateTime, nullable=False),
        Column("done_at", UtcDateTime, nullable=True),
    )
    deliveries = Table(
        "deliveries",
        old,
        Column("session_id", String(200), primary_key=True),
        Column("recipient_id", String(200), primary_key=True),
        Column("kind", String(32), primary_key=True),
        Column("claimed_at", UtcDateTime, nullable=False),
        Column("sent_at", UtcDateTime, nullable=True),
        Column("attempts", Integer, nullable=False),
    )
    return reminders, deliveries


@asynccontextmanager
async def database(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield sqlite_url(tmp_path / "v4.db")
        return
    async with fresh_database(require_server()) as url:
        yield url


async def assert_at_head(store: SqlSessionStore) -> None:
    """Every migration up to the head is recorded as applied, once."""
    async with store.engine.connect() as connection:
        versions = list(await connection.scalars(select(schema_version.c.version)))
    assert versions == list(range(1, head_version() + 1))


async def make_version_4(url: str) -> None:
    """A database as version 4 left it, holding one session with a reminder and deliveries."""
    store = await open_sql_store(url)
    try:
        await store.add_session(
            TrainingSession(
                id="s1",
                title="Kata",
                instructor_id="terminal:sensei",
                instructor_name="Sensei",
                start_time=START,
                duration_minutes=60,
                created_at=T0,
                updated_at=T0,
            )
        )
        reminders, deliveries = _v4_tables()
        async with store.engine.begin() as connection:
            await connection.execute(text("DROP TABLE reminders"))
            await connection.execute(text("DROP TABLE deliveries"))
            await connection.execute(text("ALTER TABLE training_sessions DROP COLUMN sequence"))
            await connection.run_sync(reminders.create)
            await connection.run_sync(deliveries.create)
            await connection.execute(
                insert(reminders),
                [
                    {"session_id": "s1", "kind": "24h", "due_at": T0, "useful_until": T0,
                     "done_at": T0},
                    {"session_id": "s1", "kind": "1h", "due_at": START - timedelta(hours=1),
                     "useful_until": START, "done_at": None},
                ],
            )  # fmt: skip
            await connection.execute(
                insert(deliveries),
                [
                    {"session_id": "s1", "recipient_id": r, "kind": "24h", "claimed_at": T0,
                     "sent_at": T0, "attempts": 1}
                    for r in ("m1", "channel")
                ],
            )  # fmt: skip
            await connection.execute(schema_version.delete().where(schema_version.c.version > 4))
    finally:
        await store.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_4_rows_get_their_sessions_start_time(kind: str, tmp_path: Path) -> None:
    async with database(kind, tmp_path) as url:
        await make_version_4(url)
        store: SqlSessionStore = await open_sql_store(url)
        try:
            await assert_at_head(store)
            session = await store.get_session("s1")
            assert session is not None and session.sequence == 0
            (pending,) = await store.due_reminders(START, 10)
            assert (pending.kind, pending.start_time) == (H1, START)
            # what was sent before the upgrade stays sent, for the start it was sent for
            sent = DeliveryKey(session_id="s1", recipient_id="m1", kind=H24, start_time=START)
            assert await store.delivery_sent(sent)
            assert await store.delivery_sent(sent.model_copy(update={"recipient_id": "channel"}))
            assert await store.claim_deliveries([sent], T0 + timedelta(days=1), timedelta(0)) == []
            # and the session moved a day later gets that start's 24 h reminder
            later = sent.model_copy(update={"start_time": START + timedelta(days=1)})
            assert await store.claim_deliveries([later], T0, timedelta(minutes=2)) == [later]
            # the rebuilt tables still refuse rows of unknown sessions
            with pytest.raises(NotFound):
                await store.claim_deliveries(
                    [later.model_copy(update={"session_id": "ghost"})], T0, timedelta(0)
                )
        finally:
            await store.close()
