"""The chat router with linked channels: a session's card in its own channel and one copy per
linked channel (posted once, also by two processes at once, then edited in place), channel
posts in each linked channel once, and a DM fallback mention on the member's own platform."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.chat_router import ChatRouter
from core import messages
from core.announcement_copies import AnnouncementCopies
from core.channel_map import parse_channel_map
from core.model import Origin, TrainingSession
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.store import InMemorySessionStore
from core.views import AnnouncementView

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHANNELS = parse_channel_map("slack:T01/C01=discord:123/456")
ORIGIN = Origin(platform="slack", workspace_id="T01", channel_id="C01")


def session(origin: Origin | None = ORIGIN) -> TrainingSession:
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="slack:T01:U9",
        instructor_name="Sensei",
        start_time=T0 + timedelta(days=1),
        duration_minutes=60,
        capacity=2,
        origin=origin,
        created_at=T0,
        updated_at=T0,
    )


class World:
    def __init__(self, store: InMemorySessionStore | None = None) -> None:
        self.store = store or InMemorySessionStore()
        self.slack, self.discord = RecordingChatDelivery(), RecordingChatDelivery()
        self.router = ChatRouter(AnnouncementCopies(self.store, FakeClock(T0), CHANNELS))
        self.router.connect("slack", self.slack)
        self.router.connect("discord", self.discord)


async def test_the_card_is_copied_once_then_edited_in_place() -> None:
    world = World()
    await world.store.add_session(session())
    view = AnnouncementView(session=session(), going=0, waitlisted=0)
    assert await world.router.publish_announcement(view) == "msg-1"
    [copy] = await world.store.list_announcement_copies("s1")
    assert (copy.platform, copy.channel_id, copy.workspace_id) == ("discord", "456", "123")
    assert copy.message_ref == "msg-1"  # the Discord chat's first message
    moved = session(ORIGIN.model_copy(update={"message_ref": "msg-1"}))
    again = AnnouncementView(session=moved, going=2, waitlisted=1)
    assert await world.router.publish_announcement(again) == "msg-1"
    assert [s.to for s in world.discord.of_kind("announcement")] == ["msg-1", "msg-1"]
    assert world.discord.sent[-1].text == "Kata scheduled 2 going"
    assert await world.store.list_announcement_copies("s1") == [copy]


async def test_an_unlinked_channel_gets_no_copy() -> None:
    world = World()
    elsewhere = ORIGIN.model_copy(update={"channel_id": "C99"})
    await world.store.add_session(session(elsewhere))
    await world.router.publish_announcement(
        AnnouncementView(session=session(elsewhere), going=0, waitlisted=0)
    )
    assert world.discord.sent == [] and len(world.slack.sent) == 1
    assert await world.store.list_announcement_copies("s1") == []


class GatedChat(RecordingChatDelivery):
    """Holds every announcement until `gate` is set (a slow platform)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        self.waiting.set()
        await self.gate.wait()
        return await super().publish_announcement(view)


async def test_two_processes_announcing_at_once_post_one_copy() -> None:
    store = InMemorySessionStore()
    await store.add_session(session())
    first, second = World(store), World(store)
    slow = GatedChat()
    first.router.connect("discord", slow)
    view = AnnouncementView(session=session(), going=0, waitlisted=0)
    posting = asyncio.create_task(first.router.publish_announcement(view))
    await slow.waiting.wait()  # the first process claimed the copy and is posting it
    await second.router.publish_announcement(view)
    slow.gate.set()
    await posting
    assert second.discord.sent == []  # the second one left the copy to the first
    assert len(slow.of_kind("announcement")) == 1
    [copy] = await store.list_announcement_copies("s1")
    assert copy.message_ref == "msg-1"


async def test_a_failing_copy_leaves_the_card_and_can_be_posted_later() -> None:
    world = World()
    await world.store.add_session(session())
    view = AnnouncementView(session=session(), going=0, waitlisted=0)
    world.discord.failing = True
    assert await world.router.publish_announcement(view) == "msg-1"
    assert await world.store.list_announcement_copies("s1") == []
    world.discord.failing = False  # the claim was released: the next publish posts it
    await world.router.publish_announcement(view)
    assert len(await world.store.list_announcement_copies("s1")) == 1


async def test_a_failing_origin_still_gets_the_copy_out_then_raises() -> None:
    world = World()
    await world.store.add_session(session())
    world.slack.failing = True
    with pytest.raises(ConnectionError):
        await world.router.publish_announcement(
            AnnouncementView(session=session(), going=0, waitlisted=0)
        )
    assert len(world.discord.of_kind("announcement")) == 1


async def test_channel_posts_go_to_each_linked_channel_once() -> None:
    world = World()
    notice = messages.canceled(session(), "Sensei")
    await world.router.post_to_channel(ORIGIN, notice)
    assert [s.to for s in world.slack.of_kind("channel")] == ["C01"]
    assert [s.to for s in world.discord.of_kind("channel")] == ["456"]


async def test_a_failed_origin_post_is_raised_before_any_copy() -> None:
    """So the retry of a reminder's channel post never repeats the linked channel's."""
    world = World()
    world.slack.failing = True
    with pytest.raises(ConnectionError):
        await world.router.post_to_channel(ORIGIN, messages.canceled(session(), "S"))
    assert world.discord.sent == []
    world.slack.failing, world.discord.failing = False, True
    await world.router.post_to_channel(ORIGIN, messages.canceled(session(), "S"))
    assert len(world.slack.of_kind("channel")) == 1  # the copy's failure is only logged


async def test_a_dm_fallback_mention_goes_to_the_members_own_platform() -> None:
    world = World()
    notice = messages.canceled(session(), "S")
    mention = notice.model_copy(update={"mention_member_id": "discord:777"})
    await world.router.post_to_channel(ORIGIN, mention)
    assert world.slack.sent == [] and [s.to for s in world.discord.sent] == ["456"]
    mention = notice.model_copy(update={"mention_member_id": "slack:T01:U5"})
    await world.router.post_to_channel(ORIGIN, mention)
    assert [s.to for s in world.slack.sent] == ["C01"] and len(world.discord.sent) == 1


def test_linked_platforms_without_a_front_end_are_named() -> None:
    router = ChatRouter(AnnouncementCopies(InMemorySessionStore(), FakeClock(T0), CHANNELS))
    router.connect("slack", RecordingChatDelivery())
    assert router.unreachable_links() == ["discord"]
    router.connect("discord", RecordingChatDelivery())
    assert router.unreachable_links() == [] and ChatRouter().unreachable_links() == []


async def test_the_losing_announce_of_a_new_session_still_reaches_the_copy() -> None:
    """Two processes announce a new session at once; the second, newer card (one more going)
    loses the claim to post the copy, yet the copy ends up showing it: one post, then an edit."""
    store = InMemorySessionStore()
    await store.add_session(session())
    first, second = World(store), World(store)
    slow = GatedChat()
    first.router.connect("discord", slow)
    posting = asyncio.create_task(
        first.router.publish_announcement(
            AnnouncementView(session=session(), going=0, waitlisted=0)
        )
    )
    await slow.waiting.wait()  # the first process claimed the copy and is posting it
    await store.rsvp_going("s1", "slack:T01:U5", "Ana", T0)
    newer = AnnouncementView(session=session(), going=1, waitlisted=0)
    await second.router.publish_announcement(newer)  # loses the claim
    slow.gate.set()
    await posting
    assert second.discord.sent == []
    [copy] = await store.list_announcement_copies("s1")
    cards = slow.of_kind("announcement")
    assert [c.to for c in cards] == ["msg-1", "msg-1"]  # posted once, then edited in place
    assert cards[-1].text == "Kata scheduled 1 going"
    assert copy.message_ref == "msg-1"
