"""Reminder DMs over the real SlackChat and the fake Web API: exactly once after a crash
(Slack has no idempotency key: the DM's metadata, read back from conversations.history,
tells whether it went out), and a 429 the client gave up on is waited out, never lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from adapters.slack.chat import SlackChat
from adapters.slack.pacing import ChannelPacer
from adapters.slack.settings import SlackSettings
from adapters.slack.web_api import build_web_client
from core import messages
from core.model import Member, Origin, Role, TrainingSession
from core.reminder_dispatch import CLAIM_LEASE, ReminderDispatcher
from core.service import SessionService
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.adapters import resend_scene as scene
from tests.adapters.resend_scene import H1, one_hour_key
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, TEAM, FakeSlackApi

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
SENSEI = Member(id=f"slack:{TEAM}:U0", display_name="sensei", role=Role.INSTRUCTOR)
ANA = Member(id=f"slack:{TEAM}:U1", display_name="ana")
BEN = Member(id=f"slack:{TEAM}:U2", display_name="ben")


@dataclass
class Rig:
    api: FakeSlackApi
    chat: SlackChat
    store: InMemorySessionStore
    service: SessionService
    clock: FakeClock


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    api = FakeSlackApi()
    await api.start()
    for user, name in (("U0", "sensei"), ("U1", "ana"), ("U2", "ben")):
        api.add_user(user, name)
    settings = SlackSettings(
        bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_base_url=api.base_url
    )
    clock = FakeClock(NOW)
    store = InMemorySessionStore()
    async with aiohttp.ClientSession() as http:
        client = build_web_client(settings, http, handlers=[])  # 429s reach the dispatcher
        chat = SlackChat(client, clock, "https://d.example", ChannelPacer(0))
        service = SessionService(store, InMemoryVideoRooms(), chat, clock)
        yield Rig(api, chat, store, service, clock)
    await api.close()


async def one_hour_due(rig: Rig) -> TrainingSession:
    origin = Origin(platform="slack", workspace_id=TEAM, channel_id=None)
    return await scene.one_hour_due(rig.service, rig.clock, SENSEI, (ANA, BEN), origin)


async def test_a_dm_sent_before_the_crash_is_not_sent_again(rig: Rig) -> None:
    session = await one_hour_due(rig)
    crashed = one_hour_key(session, ANA)
    # the crashed process claimed ana's DM and Slack got it; it died before marking it
    assert await rig.store.claim_deliveries([crashed], rig.clock.now(), CLAIM_LEASE) == [crashed]
    notice = messages.reminder(session, H1, to_member=True)
    await rig.chat.send_dm(ANA.id, notice.model_copy(update={"delivery_marker": crashed.marker()}))
    rig.clock.advance(CLAIM_LEASE)
    dispatcher = ReminderDispatcher(rig.store, rig.chat)
    assert await dispatcher.run_due(rig.clock.now()) == 2  # ben's sent, ana's found
    assert len(rig.api.dms_to("U1")) == 1
    assert len(rig.api.dms_to("U2")) == 1
    assert await rig.store.delivery_sent(crashed)
    [lookup] = rig.api.calls_of("conversations.history")
    assert lookup.args["channel"] == "DU1"


async def test_a_dm_the_crash_kept_from_slack_is_sent_once_with_its_metadata(rig: Rig) -> None:
    session = await one_hour_due(rig)
    crashed = one_hour_key(session, ANA)
    assert await rig.store.claim_deliveries([crashed], rig.clock.now(), CLAIM_LEASE) == [crashed]
    rig.clock.advance(CLAIM_LEASE)
    dispatcher = ReminderDispatcher(rig.store, rig.chat)
    assert await dispatcher.run_due(rig.clock.now()) == 2
    [dm] = rig.api.dms_to("U1")
    assert dm.args["metadata"] == {
        "event_type": "dojobot_delivery",
        "event_payload": {"key": crashed.marker()},
    }
    assert len(rig.api.dms_to("U2")) == 1
    rig.clock.advance(CLAIM_LEASE)
    assert await dispatcher.run_due(rig.clock.now()) == 0
    assert len(rig.api.dms_to("U1")) == 1


async def test_history_shows_metadata_only_when_asked_for(rig: Rig) -> None:
    session = await one_hour_due(rig)
    notice = messages.reminder(session, H1, to_member=True)
    marker = one_hour_key(session, ANA).marker()
    await rig.chat.send_dm(ANA.id, notice.model_copy(update={"delivery_marker": marker}))
    plain = await rig.chat.client.conversations_history(channel="DU1")
    assert "metadata" not in plain["messages"][0]
    assert await rig.chat.already_delivered(ANA.id, marker)
    assert not await rig.chat.already_delivered(ANA.id, one_hour_key(session, BEN).marker())
    assert not await rig.chat.already_delivered(BEN.id, marker)


async def test_a_429_on_a_dm_is_waited_out_and_delivered(rig: Rig) -> None:
    session = await one_hour_due(rig)
    rig.api.rate_limit_next("chat.postMessage", times=1, retry_after=3)
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    dispatcher = ReminderDispatcher(rig.store, rig.chat, pause=pause)
    assert await dispatcher.run_due(rig.clock.now()) == 2
    assert pauses == [3.0]  # Slack's Retry-After
    assert [len(rig.api.messages_in(f"D{u}")) for u in ("U1", "U2")] == [1, 1]
    assert len(rig.api.calls_of("chat.postMessage")) == 3  # one answered 429, then retried
    assert await rig.store.delivery_sent(one_hour_key(session, ANA))
    assert await rig.store.next_reminder_due() == session.start_time - timedelta(minutes=10)
