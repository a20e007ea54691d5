"""Every notice kind reaches Discord, and typed mention syntax reaches no field live.

Over loopback: discord.py sends to the fake Discord API, and every message, edit,
interaction answer and Scheduled Event body it received is searched; every message carries
`allowed_mentions` parse=[].
"""

from __future__ import annotations

from typing import Any

from core.model import SessionFilter, TrainingSession
from core.notices import Notice, NoticeKind
from tests.adapters.discord.conftest import Rig, channel_session
from tests.adapters.discord.harness import CHANNEL, GUILD, INSTRUCTOR_ROLE, MEMBER_ROLE
from tests.fakes.discord_api import Person, slash_command
from tests.hostile import discord_live


def a_session() -> TrainingSession:
    return channel_session("discord:501")


async def test_every_notice_kind_is_posted_and_sent_as_a_dm(rig: Rig) -> None:
    chat, s = rig.frontend.discord_chat, a_session()
    assert s.origin is not None
    for kind in NoticeKind:
        notice = Notice(kind=kind, session=s, text=f"{kind.value} of “Kata”")
        await chat.send_dm("discord:88", notice)
        await chat.post_to_channel(s.origin, notice)
    expected = [f"{kind.value} of “Kata”" for kind in NoticeKind]
    dms = [m["embeds"][0]["description"] for m in rig.fake.dms_to(88)]
    posts = [m["embeds"][0]["description"] for m in rig.fake.channel_messages(CHANNEL)]
    assert dms == expected and posts == expected


TITLE = "@everyone <@&700000000000000011> [free belts](https://evil.example)"
DESCRIPTION = "@here <@123456789012345678> <#700000000000000002> </rsvp:1234567890123>"
REASON = "@everyone gone, see [the new dojo](https://evil.example)"
EVIL = Person(503, "@everyone sensei", [INSTRUCTOR_ROLE])
ANA = Person(504, "<@123456789012345678> ana", [MEMBER_ROLE])


def outgoing(rig: Rig) -> list[tuple[str, dict[str, Any]]]:
    """(what, body) of every message, edit, interaction answer and Scheduled Event sent."""
    fake = rig.fake
    bodies = [
        (f"{c.method} {c.path}", c.body)
        for c in fake.calls
        if isinstance(c.body, dict) and ("/messages" in c.path or "scheduled-events" in c.path)
    ]
    bodies += [("callback", c.get("data") or {}) for c in fake.callbacks]
    return bodies + [("followup", f) for f in fake.followups]


async def test_typed_mentions_reach_no_outgoing_field_live(rig: Rig) -> None:
    gateway = rig.gateway
    await gateway.interact(
        slash_command(
            "schedule-session",
            EVIL,
            GUILD,
            CHANNEL,
            title=TITLE,
            when="2026-12-03 18:00",
            description=DESCRIPTION,
        )
    )
    [session] = await rig.store.list_sessions(SessionFilter())
    assert (session.title, session.description) == (TITLE, DESCRIPTION)  # kept as typed
    await gateway.interact(slash_command("rsvp", ANA, GUILD, CHANNEL, session=session.id))
    shown = await gateway.interact(
        slash_command("session", ANA, GUILD, CHANNEL, session=session.id)
    )
    assert "ana" in str(shown)
    await gateway.interact(
        slash_command("cancel-session", EVIL, GUILD, CHANNEL, session=session.id, reason=REASON)
    )
    await rig.fake.wait_for(lambda: bool(rig.fake.dms_to(ANA.user_id)))

    sent = outgoing(rig)
    kinds = {what.split(" /")[0] for what, _ in sent}
    assert {"POST", "PATCH", "callback"} <= kinds, kinds
    live = discord_live([body for _, body in sent])
    assert not live, live
    messages = [(what, body) for what, body in sent if "scheduled-events" not in what]
    for what, body in messages:
        assert body.get("allowed_mentions") == {"parse": []}, (what, body)
