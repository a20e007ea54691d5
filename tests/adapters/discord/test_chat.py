"""DiscordChat against the fake API: closed DMs, mention once, nonces, stale DM channels."""

from __future__ import annotations

import pytest

from adapters.discord.chat import nonce_of
from core import messages
from core.errors import DeliveryRefused
from core.i18n import t
from core.model import ReminderKind, TrainingSession
from core.notices import Notice, NoticeKind
from core.notifier import Notifier
from tests.adapters.discord.conftest import Rig, channel_session
from tests.adapters.discord.harness import CHANNEL


def session() -> TrainingSession:
    return channel_session("discord:1")


async def test_closed_dms_mention_once_then_no_more_attempts(rig: Rig) -> None:
    fake, chat = rig.fake, rig.frontend.discord_chat
    fake.closed_dms.add(77)
    notifier = Notifier(rig.store, chat)
    s = session()
    for kind in (ReminderKind.BEFORE_24H, ReminderKind.BEFORE_1H, ReminderKind.BEFORE_10M):
        notice = messages.reminder(s, kind, to_member=True)
        mention = messages.dm_fallback(s, kind, "discord:77")
        await notifier.dm_or_mention("discord:77", notice, mention)
    dm_channel = fake.dm_channels[77]
    assert len(fake.calls_to("POST", rf"/channels/{dm_channel}/messages")) == 1
    mentions = [m for m in fake.channel_messages(CHANNEL) if "<@77>" in m["content"]]
    assert len(mentions) == 1
    with pytest.raises(DeliveryRefused):
        await chat.send_dm("discord:77", messages.promoted(s))
    other = s.model_copy(update={"id": "s2"})
    with pytest.raises(DeliveryRefused):  # another session: tried again (once)
        await chat.send_dm("discord:77", messages.promoted(other))
    assert len(fake.calls_to("POST", rf"/channels/{dm_channel}/messages")) == 2


async def test_a_retried_dm_is_not_created_twice(rig: Rig) -> None:
    fake, chat = rig.fake, rig.frontend.discord_chat
    notice = messages.reminder(session(), ReminderKind.BEFORE_1H, to_member=True)
    await chat.send_dm("discord:88", notice)
    await chat.send_dm("discord:88", notice)  # e.g. after a crash before it was marked sent
    assert len(fake.dms_to(88)) == 1 and fake.nonce_hits == 1
    assert len(nonce_of("discord:88", notice)) <= 25
    assert len(fake.calls_to("POST", r"/users/@me/channels")) == 1  # channel cached


async def test_two_notices_of_one_kind_about_one_session_are_both_sent(rig: Rig) -> None:
    fake, chat = rig.fake, rig.frontend.discord_chat
    s = session()
    no_show = Notice(kind=NoticeKind.NO_SHOW, session=s, text=t("Recorded as a no-show."))
    present = Notice(kind=NoticeKind.NO_SHOW, session=s, text=t("You were marked present."))
    await chat.send_dm("discord:88", no_show)
    await chat.send_dm("discord:88", present)  # seconds later: not a retry of the first
    assert len(fake.dms_to(88)) == 2 and fake.nonce_hits == 0


async def test_a_dm_channel_discord_forgot_is_reopened(rig: Rig) -> None:
    fake, chat = rig.fake, rig.frontend.discord_chat
    chat.memory.remember_dm_channel(99, 123456)  # stale entry
    await chat.send_dm("discord:99", messages.promoted(session()))
    assert len(fake.dms_to(99)) == 1


async def test_rate_limited_dm_is_retried_by_discord_py(rig: Rig) -> None:
    fake, chat = rig.fake, rig.frontend.discord_chat
    fake.inject_429("POST", r"/users/@me/channels", retry_after=0.001)
    await chat.send_dm("discord:66", messages.promoted(session()))
    assert len(fake.dms_to(66)) == 1 and fake.route_429s == 1
