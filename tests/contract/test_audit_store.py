"""The audit part of the SessionStore contract, over every store: entries come back as
written, newest first by (at, id), in pages continued by `before_id` (also when entries
share their `at`), filtered by actor, action, target and period; retention drops only
older entries; on SQL an UPDATE of an entry is refused by the database itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from adapters.sql import SqlSessionStore
from core.audit import AuditAction, AuditEntry, AuditQuery
from core.ports import SessionStore
from tests.contract.conftest import STORE_FACTORIES

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def an_entry(
    entry_id: str,
    at: datetime = T0,
    actor_id: str = "slack:T1:U1",
    action: AuditAction = AuditAction.SCHEDULE,
    target: str = "s-1",
) -> AuditEntry:
    return AuditEntry(
        id=entry_id,
        at=at,
        actor_id=actor_id,
        actor_name="Sensei Ōta",
        front_end="slack",
        action=action,
        target=target,
        before={"capacity": 10} if action is AuditAction.CAPACITY else {},
        after={"title": "Kata «1»", "start_time": "2026-12-02T18:00:00Z", "tags": ["a", "b"]},
    )


async def ids(store: SessionStore, **query: object) -> list[str]:
    return [e.id for e in await store.list_audit(AuditQuery.model_validate(query))]


async def test_entries_come_back_as_written_newest_first(store: SessionStore) -> None:
    first = an_entry("a", T0)
    second = an_entry("b", T0 + timedelta(minutes=1), action=AuditAction.CAPACITY)
    await store.append_audit(first)
    await store.append_audit(second)
    assert await store.list_audit(AuditQuery()) == [second, first]


async def test_pages_continue_after_before_id_also_on_equal_instants(
    store: SessionStore,
) -> None:
    # five entries at one instant, two later: pages of 3 walk all seven, once each
    for entry_id in ("e1", "e2", "e3", "e4", "e5"):
        await store.append_audit(an_entry(entry_id, T0))
    await store.append_audit(an_entry("f1", T0 + timedelta(seconds=1)))
    await store.append_audit(an_entry("f2", T0 + timedelta(seconds=2)))
    seen: list[str] = []
    before: str | None = None
    while True:
        page = await ids(store, limit=3, before_id=before)
        if not page:
            break
        seen += page
        before = page[-1]
    assert seen == ["f2", "f1", "e5", "e4", "e3", "e2", "e1"]


async def test_a_page_after_an_unknown_entry_is_empty_not_the_first_again(
    store: SessionStore,
) -> None:
    await store.append_audit(an_entry("old", T0))
    await store.append_audit(an_entry("new", T0 + timedelta(days=2)))
    assert await ids(store, limit=1) == ["new"]
    assert await ids(store, before_id="no-such-entry") == []
    await store.drop_audit(T0 + timedelta(days=1))  # "old" ages out between two pages
    assert await ids(store, before_id="old") == []


async def test_filters_apply_together(store: SessionStore) -> None:
    await store.append_audit(an_entry("1", T0, actor_id="ana"))
    await store.append_audit(an_entry("2", T0 + timedelta(hours=1), actor_id="bo"))
    await store.append_audit(
        an_entry("3", T0 + timedelta(hours=2), actor_id="ana", action=AuditAction.CANCEL)
    )
    await store.append_audit(an_entry("4", T0 + timedelta(hours=3), target="s-2"))
    assert await ids(store, actor_id="ana") == ["3", "1"]
    assert await ids(store, action=AuditAction.CANCEL) == ["3"]
    assert await ids(store, target="s-2") == ["4"]
    assert await ids(store, since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=3)) == [
        "3",
        "2",
    ]
    assert await ids(store, actor_id="ana", action=AuditAction.SCHEDULE) == ["1"]
    assert await ids(store, actor_id="ana", before_id="3") == ["1"]


async def test_retention_drops_only_older_entries(store: SessionStore) -> None:
    await store.append_audit(an_entry("old", T0))
    await store.append_audit(an_entry("edge", T0 + timedelta(days=1)))
    await store.append_audit(an_entry("new", T0 + timedelta(days=2)))
    assert await store.drop_audit(T0 + timedelta(days=1)) == 1
    assert await ids(store) == ["new", "edge"]
    assert await store.drop_audit(T0 + timedelta(days=1)) == 0


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_the_database_refuses_to_update_an_entry(kind: str, tmp_path: Path) -> None:
    async with STORE_FACTORIES[kind](tmp_path) as opened:
        assert isinstance(opened, SqlSessionStore)
        entry = an_entry("a")
        await opened.append_audit(entry)
        with pytest.raises(DBAPIError, match="append-only"):
            async with opened.engine.begin() as connection:
                await connection.execute(text("UPDATE audit_log SET actor_name = 'someone'"))
        assert await opened.list_audit(AuditQuery()) == [entry]
        assert await opened.drop_audit(T0 + timedelta(seconds=1)) == 1  # retention still works
