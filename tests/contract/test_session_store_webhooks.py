"""SessionStore contract for video-provider webhooks: room lookup, delivery dedupe,
recording links; plus the SQLite migration that added them (v3)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

from adapters.sql import open_sql_store
from adapters.sql.migrations import head_version, schema_version
from core.model import Room, RoomState, TrainingSession
from core.ports import SessionStore
from tests.contract.conftest import sqlite_url

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def make_session(session_id: str, room_id: str | None = None) -> TrainingSession:
    room = Room(provider="realtimekit", room_id=room_id, state=RoomState.READY)
    return TrainingSession(
        id=session_id,
        title="Kata",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=T0 + timedelta(days=1),
        duration_minutes=60,
        room=room if room_id else Room(),
        created_at=T0,
        updated_at=T0,
    )


async def test_find_session_by_room(store: SessionStore) -> None:
    await store.add_session(make_session("s1", "meeting-1"))
    await store.add_session(make_session("s2", "meeting-2"))
    await store.add_session(make_session("s3"))
    found = await store.find_session_by_room("meeting-2")
    assert found is not None and found.id == "s2"
    assert await store.find_session_by_room("meeting-9") is None


async def test_find_session_by_room_includes_archived(store: SessionStore) -> None:
    session = make_session("s1", "meeting-1")
    session.archived_at = T0
    await store.add_session(session)
    found = await store.find_session_by_room("meeting-1")
    assert found is not None and found.archived_at == T0


async def test_recording_url_round_trips(store: SessionStore) -> None:
    session = make_session("s1", "meeting-1")
    await store.add_session(session)
    fetched = await store.get_session("s1")
    assert fetched is not None and fetched.recording_url is None
    session.recording_url = "https://recordings.example/r1.mp4?sig=abc"
    await store.save_session(session)
    fetched = await store.get_session("s1")
    assert fetched is not None and fetched.recording_url == session.recording_url


async def test_remember_webhook_is_true_only_the_first_time(store: SessionStore) -> None:
    assert not await store.webhook_seen("rtk-uuid:1")
    assert await store.remember_webhook("rtk-uuid:1", T0)
    assert await store.webhook_seen("rtk-uuid:1")
    assert not await store.remember_webhook("rtk-uuid:1", T0 + timedelta(minutes=1))
    assert not await store.webhook_seen("rtk-uuid:2")


async def test_concurrent_remember_has_one_winner(store: SessionStore) -> None:
    results = await asyncio.gather(*(store.remember_webhook("d", T0) for _ in range(8)))
    assert sorted(results) == [False] * 7 + [True]


async def test_sqlite_migrates_a_version_2_database(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    store = await open_sql_store(sqlite_url(path))
    try:
        await store.add_session(make_session("s1", "meeting-1"))
        async with store.engine.begin() as connection:  # back to version 2's schema
            await connection.exec_driver_sql("DROP INDEX ix_training_sessions_room_id")
            await connection.exec_driver_sql("DROP TABLE webhook_deliveries")
            await connection.exec_driver_sql(
                "ALTER TABLE training_sessions DROP COLUMN recording_url"
            )
            await connection.execute(schema_version.delete().where(schema_version.c.version > 2))
    finally:
        await store.close()
    store = await open_sql_store(sqlite_url(path))
    try:
        async with store.engine.connect() as connection:
            versions = list(await connection.scalars(select(schema_version.c.version)))
            indexes = set(
                await connection.scalars(
                    text("SELECT name FROM sqlite_master WHERE tbl_name = 'training_sessions'")
                )
            )
        assert versions == list(range(1, head_version() + 1))
        assert "ix_training_sessions_room_id" in indexes
        found = await store.find_session_by_room("meeting-1")
        assert found is not None and found.recording_url is None
        assert await store.remember_webhook("d1", T0)
    finally:
        await store.close()
