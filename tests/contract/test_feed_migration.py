"""SQL migration 10, its `feeds` part, on SQLite and PostgreSQL: a version-9 database
(sessions, RSVPs and profiles, no `calendar_feeds` table) keeps its rows and takes personal
calendar feeds at once: the table, its member key and its unique token hash, and the
RSVPs' index by member that a feed's read uses."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.schema import RSVP_MEMBER_INDEX
from core.calendar_feed import feed_token_hash
from core.errors import InvalidState
from core.members import MemberProfile
from tests.contract.test_start_time_migration import assert_at_head, database
from tests.contract.version_8 import T0, make_version_8
from tests.contract.version_9 import undo_version_10


def rsvp_indexes(connection: Connection) -> set[str]:
    return {str(i["name"]) for i in inspect(connection).get_indexes("rsvps")}


def feeds_schema(connection: Connection) -> tuple[bool, set[str]]:
    """Whether `calendar_feeds` exists, and the columns of its unique constraints/indexes."""
    inspector = inspect(connection)
    if not inspector.has_table("calendar_feeds"):
        return False, set()
    unique = {
        c for u in inspector.get_unique_constraints("calendar_feeds") for c in u["column_names"]
    }
    unique |= {
        c
        for i in inspector.get_indexes("calendar_feeds")
        if i["unique"]
        for c in i["column_names"]
        if c is not None
    }
    return True, unique


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_9_keeps_its_rows_and_takes_calendar_feeds(kind: str, tmp_path: Path) -> None:
    async with database(kind, tmp_path) as url:
        session, rsvps = await make_version_8(url, capacity=1, undo=())
        ana = MemberProfile(
            id="terminal:ana",
            display_name="Ana",
            timezone="UTC",
            identities=["terminal:ana"],
            created_at=T0,
            updated_at=T0,
            last_seen_at=T0,
        )
        store: SqlSessionStore = await open_sql_store(url)  # up to head again
        try:
            await store.save_profile(ana)
            await undo_version_10(store)  # back to version 9, no feeds
            async with store.engine.connect() as connection:
                exists, _ = await connection.run_sync(feeds_schema)
                assert not exists
        finally:
            await store.close()
        store = await open_sql_store(url)
        try:
            await assert_at_head(store)
            async with store.engine.connect() as connection:
                exists, unique = await connection.run_sync(feeds_schema)
                indexes = await connection.run_sync(rsvp_indexes)
            assert exists and "token_hash" in unique
            assert RSVP_MEMBER_INDEX in indexes  # a member's sessions, read by member
            assert await store.get_session("s1") == session
            assert await store.list_rsvps("s1") == rsvps
            assert await store.get_profile("terminal:ana") == ana
            token_hash = feed_token_hash("t" * 43)
            await store.save_feed_token("terminal:ana", token_hash, T0 + timedelta(days=1))
            assert await store.member_of_feed(token_hash) == "terminal:ana"
            with pytest.raises(InvalidState):  # the unique hash came with the table
                await store.save_feed_token("terminal:bo", token_hash, T0 + timedelta(days=1))
        finally:
            await store.close()
