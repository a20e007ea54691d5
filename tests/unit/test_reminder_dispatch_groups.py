"""The dispatcher's store calls per group of sends: each group is claimed in the call that
records the group before it sent (`record_and_claim`), retries are told by that claim (no
read of their own), the last group is recorded on its own; a crash can still leave at most
one group claimed and unsent. Reminder notices are worded once per session and kind."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.model import DeliveryKey, ReminderKind
from core.notices import Notice
from core.ports import DeliveryClaim
from core.reminder_dispatch import ReminderDispatcher
from core.testing.chat import RecordingChatDelivery
from core.testing.store import InMemorySessionStore
from tests.unit.conftest import World, member

MEMBERS = [member(name) for name in ("ana", "ben", "cal", "dan", "eva")]
"""Five going members, sent two at a time: groups ab, cd, e."""


class Ledgered(InMemorySessionStore):
    """The in-memory store, noting each delivery call (method, recipients of each list)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, ...]] = []

    async def record_and_claim(
        self, sent: list[DeliveryKey], keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> DeliveryClaim:
        self.calls.append(("record_and_claim", names(sent), names(keys)))
        return await super().record_and_claim(sent, keys, now, lease)

    async def claim_deliveries(
        self, keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> list[DeliveryKey]:
        self.calls.append(("claim_deliveries", names(keys)))
        return await super().claim_deliveries(keys, now, lease)

    async def mark_deliveries_sent(self, keys: list[DeliveryKey], at: datetime) -> None:
        self.calls.append(("mark_deliveries_sent", names(keys)))
        await super().mark_deliveries_sent(keys, at)

    async def reclaimed_deliveries(self, keys: list[DeliveryKey]) -> list[DeliveryKey]:
        self.calls.append(("reclaimed_deliveries", names(keys)))
        return await super().reclaimed_deliveries(keys)

    async def unsent_claims(self, keys: list[DeliveryKey]) -> int:
        """How many of `keys` are claimed and not recorded sent (what a crash would leave)."""
        attempts = [await self.delivery_attempts(k) for k in keys]
        sent = [await self.delivery_sent(k) for k in keys]
        return sum(1 for a, s in zip(attempts, sent, strict=True) if a and not s)


def names(keys: list[DeliveryKey]) -> str:
    return "".join(k.recipient_id.removeprefix("t:")[0] for k in keys)


class Watching(RecordingChatDelivery):
    """Notes, at each DM, how many deliveries a crash right then would leave unsent."""

    def __init__(self, store: Ledgered, keys: list[DeliveryKey]) -> None:
        super().__init__()
        self.store, self.keys = store, keys
        self.exposed: list[int] = []

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        self.exposed.append(await self.store.unsent_claims(self.keys))
        await super().send_dm(member_id, notice)


async def scene(world: World) -> tuple[Ledgered, list[DeliveryKey]]:
    store = Ledgered()
    world.service = type(world.service)(store, world.rooms, world.chat, world.clock)
    session = await world.schedule(in_=timedelta(days=2))
    for who in MEMBERS:
        await world.service.rsvp(who, session.id)
    world.clock.set(session.start_time - timedelta(hours=24))
    keys = [
        DeliveryKey(
            session_id=session.id,
            recipient_id=who.id,
            kind=ReminderKind.BEFORE_24H,
            start_time=session.start_time,
        )
        for who in MEMBERS
    ]
    store.calls.clear()
    return store, keys


async def test_each_group_is_claimed_with_the_record_of_the_one_before(world: World) -> None:
    store, keys = await scene(world)
    chat = Watching(store, keys)
    dispatcher = ReminderDispatcher(store, chat, send_concurrency=2)
    assert await dispatcher.run_due(world.now) == 5
    assert store.calls == [
        ("record_and_claim", "", "ab"),
        ("record_and_claim", "ab", "cd"),
        ("record_and_claim", "cd", "e"),
        ("mark_deliveries_sent", "e"),
    ]
    # a crash at any send would have left at most one group (two) claimed and unsent
    assert chat.exposed == [2, 2, 2, 2, 1]
    assert all([await store.delivery_sent(k) for k in keys])


async def test_a_retried_group_is_told_by_its_claim(world: World) -> None:
    store, keys = await scene(world)
    # an earlier attempt claimed ben's and cal's DMs and died; the lease has passed
    await store.claim_deliveries(keys[1:3], world.now - timedelta(minutes=5), timedelta(0))
    store.calls.clear()
    chat = LookedUp(found={MEMBERS[1].id})  # ben's went out before the crash
    # ben's is found on the platform and recorded sent, not sent again
    assert await ReminderDispatcher(store, chat, send_concurrency=2).run_due(world.now) == 5
    assert chat.looked_up == [MEMBERS[1].id, MEMBERS[2].id]
    assert [len(chat.dms_to(m.id)) for m in MEMBERS] == [1, 0, 1, 1, 1]
    assert all([await store.delivery_sent(k) for k in keys])
    assert not [c for c in store.calls if c[0] == "reclaimed_deliveries"]


class LookedUp(RecordingChatDelivery):
    """A platform that already has the DMs of `found`; notes whose it was asked about."""

    def __init__(self, found: set[str]) -> None:
        super().__init__()
        self.found = found
        self.looked_up: list[str] = []

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        self.looked_up.append(member_id)
        return member_id in self.found


async def test_every_recipient_reads_the_same_words_with_their_own_marker(world: World) -> None:
    store, keys = await scene(world)
    chat = RecordingChatDelivery()
    await ReminderDispatcher(store, chat, send_concurrency=2).run_due(world.now)
    notices = [s.notice for s in chat.of_kind("dm") if s.notice is not None]
    assert len(notices) == 5
    assert len({id(n.text) for n in notices}) == 1  # worded once
    assert [n.delivery_marker for n in notices] == [k.marker() for k in keys]
