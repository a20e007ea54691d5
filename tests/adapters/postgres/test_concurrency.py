"""PostgreSQL guarantees under real concurrency: separate connections and separate engines
(as separate processes have), contending on one database."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.schema import training_sessions
from core.model import Reminder, ReminderKind, RsvpStatus, TrainingSession
from core.reminder_dispatch import ReminderDispatcher
from core.testing.chat import RecordingChatDelivery
from tests.adapters.postgres.conftest import assert_no_connection_left

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def session(session_id: str, start: datetime = T0 + timedelta(days=1)) -> TrainingSession:
    return TrainingSession(
        id=session_id,
        title="Randori",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=start,
        duration_minutes=60,
        capacity=20,
        created_at=T0,
        updated_at=T0,
    )


async def test_200_concurrent_rsvps_for_20_seats_across_two_engines(
    pg_store: SqlSessionStore, pg_url: str
) -> None:
    """Arrival order = the order the database serialised them (the session row lock): the
    positions are 1..200 without gap, the first 20 positions go and the other 180 wait; each
    engine's own RSVPs keep the order they were made in."""
    other = await open_sql_store(pg_url)
    try:
        await pg_store.add_session(session("s1"))
        stores = (pg_store, other)
        members = [f"terminal:m{n:03d}" for n in range(200)]
        changes = await asyncio.gather(
            *(stores[n % 2].rsvp_going("s1", m, m, T0) for n, m in enumerate(members))
        )
        assert all(c.changed for c in changes)
        rows = await pg_store.list_rsvps("s1")
        assert [r.position for r in rows] == list(range(1, 201))
        assert sorted(r.member_id for r in rows) == members
        assert {r.status for r in rows[:20]} == {RsvpStatus.GOING}
        assert {r.status for r in rows[20:]} == {RsvpStatus.WAITLISTED}
        assert await other.count_going("s1") == 20
        assert len(await other.list_rsvps("s1", RsvpStatus.WAITLISTED)) == 180
        for n in range(len(stores)):
            made = members[n::2]
            assert [r.member_id for r in rows if r.member_id in set(made)] == made
        # what each caller was told agrees with what was stored
        told = {c.rsvp.member_id: (c.rsvp.status, c.rsvp.position) for c in changes if c.rsvp}
        assert told == {r.member_id: (r.status, r.position) for r in rows}
        await assert_no_connection_left(other)
    finally:
        await other.close()


async def test_rsvps_of_different_sessions_do_not_wait_for_each_other(
    pg_store: SqlSessionStore,
) -> None:
    """Only RSVPs of one session queue: with s0's row locked elsewhere and an RSVP for s0
    waiting on that lock, an RSVP for s1 still goes through."""
    for n in range(2):
        await pg_store.add_session(session(f"s{n}"))
    async with pg_store.engine.connect() as blocker:
        await blocker.execute(
            select(training_sessions.c.id).where(training_sessions.c.id == "s0").with_for_update()
        )
        waiting = asyncio.create_task(pg_store.rsvp_going("s0", "m0", "M", T0))
        for _ in range(1_000):  # until the RSVP for s0 waits on the row lock
            if await blocker.scalar(_LOCK_WAITERS):
                break
        else:
            waiting.cancel()
            raise AssertionError("the RSVP for s0 never waited on the row lock")
        other = await asyncio.wait_for(pg_store.rsvp_going("s1", "m1", "M", T0), 10)
        assert other.rsvp is not None
        assert other.rsvp.status is RsvpStatus.GOING
        assert not waiting.done()
        await blocker.rollback()
    change = await asyncio.wait_for(waiting, 10)
    assert change.rsvp is not None
    assert change.rsvp.position == 1
    assert len(pg_store._session_locks) == 0  # no per-session lock left behind


_LOCK_WAITERS = text("SELECT count(*) FROM pg_locks WHERE NOT granted")
"""Live (pg_stat_activity would be a snapshot frozen for the blocker's transaction)."""


async def seed_due_reminders(store: SqlSessionStore, sessions: int, members: int) -> set[str]:
    """Sessions starting in 1 h, each with going members and a 1 h reminder due now."""
    expected: set[str] = set()
    start = T0 + timedelta(hours=1)
    for s in range(sessions):
        session_id = f"s{s:02d}"
        await store.add_session(session(session_id, start).model_copy(update={"capacity": None}))
        for m in range(members):
            member = f"terminal:m{m:02d}"
            await store.rsvp_going(session_id, member, member, T0)
            expected.add(f"{session_id}|{member}")
        reminder = Reminder(
            session_id=session_id,
            kind=ReminderKind.BEFORE_1H,
            start_time=start,
            due_at=T0,
            useful_until=start,
        )
        await store.replace_reminders(session_id, [reminder])
    return expected


async def test_two_clocks_never_send_the_same_reminder_twice(
    pg_store: SqlSessionStore, pg_url: str
) -> None:
    """Two dispatchers on two engines (two clock processes) run the same due reminders at
    the same moment, in small interleaved batches: every delivery goes out exactly once."""
    expected = await seed_due_reminders(pg_store, sessions=20, members=15)
    other = await open_sql_store(pg_url)
    try:
        chats = (RecordingChatDelivery(), RecordingChatDelivery())
        dispatchers = [
            ReminderDispatcher(store, chat, batch_size=3, send_concurrency=4)
            for store, chat in zip((pg_store, other), chats, strict=True)
        ]
        counts = await asyncio.gather(*(d.run_due(T0) for d in dispatchers))
        sent = Counter(
            f"{s.notice.session.id}|{s.to}"
            for chat in chats
            for s in chat.of_kind("dm")
            if s.notice is not None
        )
        assert set(sent) == expected
        assert set(sent.values()) == {1}
        assert sum(counts) == len(expected) == 300
        assert await pg_store.due_reminders(T0 + timedelta(minutes=1), 10) == []
        # a second round by either clock finds nothing left to send
        assert await dispatchers[1].run_due(T0 + timedelta(minutes=1)) == 0
        await assert_no_connection_left(other)
    finally:
        await other.close()
