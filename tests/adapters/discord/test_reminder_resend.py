"""Reminder DMs over the real DiscordChat and the fake Discord API: exactly once after a
crash (the platform is asked before a re-claimed delivery is re-sent), and a 429 that
discord.py gave up on is waited out and retried, never lost."""

from __future__ import annotations

from datetime import timedelta

from core import messages
from core.model import Member, Origin, Role, TrainingSession
from core.reminder_dispatch import CLAIM_LEASE, ReminderDispatcher
from tests.adapters import resend_scene as scene
from tests.adapters.discord.conftest import Rig
from tests.adapters.discord.harness import GUILD
from tests.adapters.resend_scene import H1, one_hour_key
from tests.fakes.discord_api import NONCE_WINDOW

SENSEI = Member(id="discord:1", display_name="sensei", role=Role.INSTRUCTOR)
ANA = Member(id="discord:501", display_name="ana")
BEN = Member(id="discord:502", display_name="ben")


async def one_hour_due(rig: Rig) -> TrainingSession:
    origin = Origin(platform="discord", workspace_id=str(GUILD), channel_id=None)
    return await scene.one_hour_due(rig.service, rig.clock, SENSEI, (ANA, BEN), origin)


async def test_a_dm_sent_before_the_crash_is_not_sent_again(rig: Rig) -> None:
    session = await one_hour_due(rig)
    store, chat = rig.store, rig.frontend.discord_chat
    crashed = one_hour_key(session, ANA)
    # the crashed process claimed ana's DM and Discord got it; it died before marking it
    assert await store.claim_deliveries([crashed], rig.clock.now(), CLAIM_LEASE) == [crashed]
    notice = messages.reminder(session, H1, to_member=True)
    await chat.send_dm(ANA.id, notice.model_copy(update={"delivery_marker": crashed.marker()}))
    rig.fake.advance(NONCE_WINDOW + 1)  # the restart took longer than Discord keeps nonces
    rig.clock.advance(CLAIM_LEASE)
    dispatcher = ReminderDispatcher(store, chat)
    assert await dispatcher.run_due(rig.clock.now()) == 2  # ben's sent, ana's found
    assert len(rig.fake.dms_to(501)) == 1
    assert len(rig.fake.dms_to(502)) == 1
    assert rig.fake.nonce_hits == 0  # the marker lookup decided, not the expired nonce
    assert await store.delivery_sent(crashed)
    assert rig.fake.calls_to("GET", rf"/channels/{rig.fake.dm_channels[501]}/messages")
    assert not rig.fake.calls_to("GET", rf"/channels/{rig.fake.dm_channels[502]}/messages")


async def test_a_dm_the_crash_kept_from_discord_is_sent_once(rig: Rig) -> None:
    session = await one_hour_due(rig)
    store = rig.store
    crashed = one_hour_key(session, ANA)
    assert await store.claim_deliveries([crashed], rig.clock.now(), CLAIM_LEASE) == [crashed]
    rig.clock.advance(CLAIM_LEASE)
    dispatcher = ReminderDispatcher(store, rig.frontend.discord_chat)
    assert await dispatcher.run_due(rig.clock.now()) == 2
    [dm] = rig.fake.dms_to(501)
    assert dm["embeds"][0]["footer"]["text"] == f"ref {crashed.marker()}"
    assert len(rig.fake.dms_to(502)) == 1
    rig.clock.advance(CLAIM_LEASE)
    assert await dispatcher.run_due(rig.clock.now()) == 0
    assert len(rig.fake.dms_to(501)) == 1


async def test_a_429_discord_py_gave_up_on_is_waited_out_and_delivered(rig: Rig) -> None:
    session = await one_hour_due(rig)
    store = rig.store
    # discord.py retries a 429 up to 5 times, then raises; the 6th try would succeed
    rig.fake.inject_429("POST", r"/channels/\d+/messages", retry_after=0.001, times=5)
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    chat = rig.frontend.discord_chat
    dispatcher = ReminderDispatcher(store, chat, send_concurrency=1, pause=pause)
    assert await dispatcher.run_due(rig.clock.now()) == 2
    assert len(rig.fake.dms_to(501)) == 1 and len(rig.fake.dms_to(502)) == 1
    assert rig.fake.route_429s == 5
    assert len(pauses) == 1 and 0 < pauses[0] <= 1  # Discord's Reset-After, not a guess
    assert await store.delivery_sent(one_hour_key(session, ANA))
    assert await store.delivery_sent(one_hour_key(session, BEN))
    # finished, not postponed: the next thing due is the 10-minute reminder
    assert await store.next_reminder_due() == session.start_time - timedelta(minutes=10)


async def test_the_lookup_reopens_a_dm_channel_discord_forgot(rig: Rig) -> None:
    chat = rig.frontend.discord_chat
    chat.memory.remember_dm_channel(501, 123456)  # stale entry
    assert not await chat.already_delivered(ANA.id, "0" * 25)
    assert chat.memory.dm_channels[501] == rig.fake.dm_channels[501]
