"""A reminder held for a member's quiet hours is kept by the database: a restarted process
(a new store and dispatcher on the same database) sends it once when the quiet hours end."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import time
from pathlib import Path

import pytest

from adapters.sql import open_sql_store
from core.members import MemberProfile, QuietHours, ReminderPreferences
from core.model import DeliveryKey, ReminderKind
from core.ports import SessionStore
from core.reminder_dispatch import ReminderDispatcher
from core.reminders import plan_reminders
from core.testing.chat import RecordingChatDelivery
from tests.contract.conftest import empty_tables, sqlite_url
from tests.contract.test_session_store import T0, at, make_session
from tests.pg_server import require_server

MEMBER = "slack:T1:UA"
QUIET_END = at(120)  # quiet 17:00-20:00 in Tokyo: the 24 h reminder (18:00 there) waits

Opener = Callable[[], AbstractAsyncContextManager[SessionStore]]


async def openers(kind: str, tmp: Path) -> Opener:
    """Opens a store on one database, again after each close (a restart)."""
    url = (
        sqlite_url(tmp / "held.db")
        if kind == "sqlite"
        else await require_server().reused_database("dojobot_held")
    )
    first = True

    @asynccontextmanager
    async def opened() -> AsyncIterator[SessionStore]:
        nonlocal first
        store = await open_sql_store(url)
        try:
            if first and kind == "postgres":
                await empty_tables(store)
            first = False
            yield store
        finally:
            await store.close()

    return opened


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_a_held_reminder_survives_a_restart_and_goes_once(kind: str, tmp_path: Path) -> None:
    open_store = await openers(kind, tmp_path)
    session = make_session()
    chat = RecordingChatDelivery()
    async with open_store() as store:
        await store.add_session(session)
        await store.save_profile(
            MemberProfile(
                id=MEMBER,
                display_name="Ana",
                timezone="Asia/Tokyo",
                identities=[MEMBER],
                preferences=ReminderPreferences(
                    quiet_hours=QuietHours(start=time(17, 0), end=time(20, 0))
                ),
                last_seen_at=T0,
                created_at=T0,
                updated_at=T0,
            )
        )
        await store.rsvp_going(session.id, MEMBER, "Ana", at(-10))
        await store.replace_reminders(session.id, plan_reminders(session, at(-60)))
        assert await ReminderDispatcher(store, chat).run_due(T0) == 0
        assert await store.next_reminder_due() == QUIET_END
    assert not chat.sent
    async with open_store() as store:  # the process restarted
        assert await ReminderDispatcher(store, chat).run_due(QUIET_END) == 1
        assert await ReminderDispatcher(store, chat).run_due(QUIET_END) == 0
        key = DeliveryKey(
            session_id=session.id,
            recipient_id=MEMBER,
            kind=ReminderKind.BEFORE_24H,
            start_time=session.start_time,
        )
        assert await store.delivery_sent(key)
        assert await store.due_deferred(at(24 * 60), 10) == []
    assert [s.to for s in chat.sent] == [MEMBER]
