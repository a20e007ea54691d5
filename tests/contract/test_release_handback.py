"""The dispatcher's side of a clean stop, on every store: `stop_taking` starts no new group
of sends, and a group cut short (cancelled) records what went out and releases the rest,
which another dispatcher then sends at once (well inside the lease), exactly once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from core.model import DeliveryKey, ReminderKind
from core.notices import Notice
from core.ports import SessionStore
from core.reminder_dispatch import CLAIM_LEASE, ReminderDispatcher
from core.reminders import plan_reminders
from core.testing.chat import RecordingChatDelivery
from tests.contract.test_session_store import at, make_session

MEMBERS = [f"slack:T1:U{n}" for n in "ABCDEF"]
"""Six going members, sent two at a time: groups AB, CD, EF."""
SLOW = MEMBERS[2]
NOW = at(1)
SOON = NOW + timedelta(seconds=1)


@dataclass
class SlowChat(RecordingChatDelivery):
    """DMs to `slow` members wait for `gate`; with `lands`, the platform has the DM before
    the answer is held (only the answer is lost when the sender is cut short)."""

    slow: set[str] = field(default_factory=set)
    lands: bool = False
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: asyncio.Event = field(default_factory=asyncio.Event)

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        if member_id not in self.slow:
            await super().send_dm(member_id, notice)
            return
        if self.lands:
            await super().send_dm(member_id, notice)
        self.waiting.set()
        await self.gate.wait()
        if not self.lands:
            await super().send_dm(member_id, notice)


async def scene(store: SessionStore) -> list[DeliveryKey]:
    """One session, six members going, its 24 h reminder due at `NOW`."""
    session = make_session()
    await store.add_session(session)
    for n, member in enumerate(MEMBERS):
        await store.rsvp_going(session.id, member, f"Member {n}", at(0))
    planned = plan_reminders(session, at(-1))
    await store.replace_reminders(
        session.id, [r for r in planned if r.kind is ReminderKind.BEFORE_24H]
    )
    return [
        DeliveryKey(
            session_id=session.id,
            recipient_id=member,
            kind=ReminderKind.BEFORE_24H,
            start_time=session.start_time,
        )
        for member in MEMBERS
    ]


def dispatcher(store: SessionStore, chat: RecordingChatDelivery) -> ReminderDispatcher:
    return ReminderDispatcher(store, chat, send_concurrency=2)


@pytest.mark.parametrize("lands", [False, True], ids=["lost-in-flight", "reached-platform"])
async def test_a_group_cut_short_is_handed_back_and_sent_at_once_by_the_next_clock(
    store: SessionStore, lands: bool
) -> None:
    keys = await scene(store)
    chat = SlowChat(slow={SLOW}, lands=lands)
    stopping = dispatcher(store, chat)
    running = asyncio.create_task(stopping.run_due(NOW))
    await asyncio.wait_for(chat.waiting.wait(), 10)
    stopping.stop_taking()
    running.cancel()  # the grace is over: cut short
    with pytest.raises(asyncio.CancelledError):
        await running
    sent = [await store.delivery_sent(k) for k in keys]
    assert sent == [True, True, False, True, False, False]  # D finished beside C

    # the next clock, a second later: the handed-back C is claimed at once, not after the
    # lease; looked up first, it goes out only if it had not landed
    chat.slow.clear()
    assert await dispatcher(store, chat).run_due(SOON) == 3
    assert SOON - NOW < CLAIM_LEASE
    assert [len(chat.dms_to(m)) for m in MEMBERS] == [1] * 6
    assert all([await store.delivery_sent(k) for k in keys])
    assert await store.next_reminder_due() is None


async def test_stop_taking_lets_the_running_group_finish_and_starts_no_other(
    store: SessionStore,
) -> None:
    keys = await scene(store)
    chat = SlowChat(slow={SLOW})
    stopping = dispatcher(store, chat)
    running = asyncio.create_task(stopping.run_due(NOW))
    await asyncio.wait_for(chat.waiting.wait(), 10)
    stopping.stop_taking()
    chat.gate.set()  # the slow DM finishes within the grace
    assert await running == 4
    assert [await store.delivery_sent(k) for k in keys] == [True] * 4 + [False] * 2
    # the reminder is neither finished nor postponed: the next clock goes on at once
    assert await store.next_reminder_due() == at(0)
    assert await dispatcher(store, chat).run_due(SOON) == 2
    assert [len(chat.dms_to(m)) for m in MEMBERS] == [1] * 6
