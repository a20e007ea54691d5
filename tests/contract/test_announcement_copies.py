"""SessionStore contract for announcement copies (issue 15, "one session, announced on Slack
and Discord"): each session's card in a linked channel is recorded once per session ×
platform × channel, also when writers race, and in two processes on one database; SQL
migration 8 adds the table to a version-7 database keeping its sessions."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.migrations import schema_version
from core.announcement_copy import AnnouncementCopy
from core.errors import NotFound
from core.ports import SessionStore
from tests.contract.conftest import sqlite_url
from tests.contract.test_session_store import T0, at, make_session
from tests.contract.test_start_time_migration import assert_at_head, database


def copy(
    ref: str, platform: str = "discord", channel: str = "222", session: str = "s1"
) -> AnnouncementCopy:
    return AnnouncementCopy(
        session_id=session,
        platform=platform,
        channel_id=channel,
        workspace_id="111" if platform == "discord" else "T1",
        message_ref=ref,
        created_at=T0,
    )


async def test_a_copy_is_recorded_once_per_session_platform_and_channel(
    store: SessionStore,
) -> None:
    await store.add_session(make_session("s1"))
    await store.add_session(make_session("s2"))
    assert await store.add_announcement_copy(copy("m1"))
    assert not await store.add_announcement_copy(copy("m2"))  # the first one stays
    assert await store.add_announcement_copy(copy("17.5", "slack", "C1"))
    assert await store.add_announcement_copy(copy("m3", channel="333"))
    assert await store.add_announcement_copy(copy("m4", session="s2"))
    listed = await store.list_announcement_copies("s1")
    assert [(c.platform, c.channel_id, c.message_ref) for c in listed] == [
        ("discord", "222", "m1"),
        ("discord", "333", "m3"),
        ("slack", "C1", "17.5"),
    ]
    assert listed[0] == copy("m1")
    assert await store.list_announcement_copies("nope") == []


async def test_saving_a_copy_replaces_its_message_only(store: SessionStore) -> None:
    await store.add_session(make_session("s1"))
    assert await store.add_announcement_copy(copy("m1"))
    moved = copy("m9").model_copy(update={"created_at": at(5), "workspace_id": "999"})
    await store.save_announcement_copy(moved)
    [saved] = await store.list_announcement_copies("s1")
    assert saved == copy("m9")  # same record, new message; created_at and workspace kept
    await store.save_announcement_copy(copy("m5", channel="404"))  # none recorded: nothing
    assert await store.list_announcement_copies("s1") == [saved]


async def test_a_copy_of_an_unknown_session_is_refused(store: SessionStore) -> None:
    with pytest.raises(NotFound):
        await store.add_announcement_copy(copy("m1", session="ghost"))


async def test_racing_writers_record_one_copy(store: SessionStore) -> None:
    await store.add_session(make_session("s1"))
    won = await asyncio.gather(*(store.add_announcement_copy(copy(f"m{n}")) for n in range(6)))
    assert won.count(True) == 1
    [kept] = await store.list_announcement_copies("s1")
    assert kept.message_ref == f"m{won.index(True)}"


async def test_two_processes_on_one_sqlite_file_record_one_copy(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "shared.db")
    first, second = await open_sql_store(url), await open_sql_store(url)
    try:
        await first.add_session(make_session("s1"))
        won = await asyncio.gather(
            first.add_announcement_copy(copy("m1")), second.add_announcement_copy(copy("m2"))
        )
        assert sorted(won) == [False, True]
        assert await first.list_announcement_copies("s1") == (
            await second.list_announcement_copies("s1")
        )
    finally:
        await first.close()
        await second.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_migration_8_adds_copies_to_a_version_7_database(kind: str, tmp_path: Path) -> None:
    async with database(kind, tmp_path) as url:
        store: SqlSessionStore = await open_sql_store(url)
        try:
            await store.add_session(make_session("s1"))
            async with store.engine.begin() as connection:
                await connection.execute(text("DROP TABLE announcement_copies"))
                await connection.execute(
                    schema_version.delete().where(schema_version.c.version > 7)
                )
        finally:
            await store.close()
        store = await open_sql_store(url)
        try:
            await assert_at_head(store)
            assert await store.get_session("s1") is not None
            assert await store.add_announcement_copy(copy("m1"))
            assert [c.message_ref for c in await store.list_announcement_copies("s1")] == ["m1"]
        finally:
            await store.close()
