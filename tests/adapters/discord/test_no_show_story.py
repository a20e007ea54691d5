"""The no-show policy on Discord, through the fake Discord API and the real discord.py client:
the ended session's summary in the channel carries a Present button per absent member (a
member's press is refused, the instructor's records them present, by whom); the absent
member's DM carries Appeal; an appeal reaches the admins (the channel, or the admins'
DMs when the settings name them) with Waive; an admin waives with the button or the
`/waive` slash command; `/my-record` shows the record. Every answer goes only to the
presser (ephemeral)."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.discord.ids import member_id
from bot.no_show_settings import NoShowSettings
from core.seat_marks import MarkKind
from tests.adapters.discord.conftest import (
    Rig,
    RigFactory,
    known_members,
    quick_fake,
    schedule_kata,
)
from tests.adapters.discord.harness import (
    ADMIN_ROLE,
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    buttons_of,
    is_ephemeral,
    message_text,
    text_of,
)
from tests.fakes.discord_api import Person, button_press, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
BOSS = Person(509, "boss", [ADMIN_ROLE], permissions=8)
ANA = Person(602, "ana", [MEMBER_ROLE])
BEN = Person(603, "ben", [MEMBER_ROLE])
CAL = Person(604, "cal", [MEMBER_ROLE])


fake = pytest.fixture(quick_fake)


async def policy_rig(make_rig: RigFactory, settings: NoShowSettings) -> Rig:
    rig: Rig = await make_rig(service_options={"no_show_rules": settings.rules()})
    known_members(rig, SENSEI, BOSS, ANA, BEN, CAL)
    return rig


async def ended_with_absent(rig: Rig, *going: Person) -> str:
    """ "Kata" scheduled, `going` RSVP'd from the card, started and ended by the instructor
    through slash commands with nobody in the room."""
    session = await schedule_kata(rig, SENSEI)
    [card] = [m for m in rig.fake.channel_messages(CHANNEL) if "Kata" in message_text(m)]
    for person in going:
        pressed = button_press(f"dojobot:rsvp:{session.id}", person, GUILD, CHANNEL, card)
        assert is_ephemeral(await rig.gateway.interact(pressed))
    rig.clock.set(session.start_time)
    for name in ("start-session", "end-session"):
        answer = await rig.gateway.interact(
            slash_command(name, SENSEI, GUILD, CHANNEL, session=session.id)
        )
        assert "Something went wrong" not in text_of(answer), text_of(answer)
    return session.id


def summary_of(rig: Rig) -> dict[str, Any]:
    [summary] = [
        m for m in rig.fake.channel_messages(CHANNEL) if "RSVP'd but absent" in message_text(m)
    ]
    return summary


def appeal_dm(rig: Rig, person: Person) -> dict[str, Any]:
    [told] = [m for m in rig.fake.dms_to(person.user_id) if "no-show" in message_text(m)]
    return told


async def press(
    rig: Rig, button: dict[str, Any], person: Person, message: dict[str, Any]
) -> dict[str, Any]:
    """`person` presses `button` on `message` (in the guild's channel or in a DM); the
    answer, which must be theirs alone."""
    channel = int(message["channel_id"])
    guild = GUILD if channel == CHANNEL else None
    answer = await rig.gateway.interact(
        button_press(button["custom_id"], person, guild, channel, message)
    )
    assert is_ephemeral(answer), text_of(answer)
    return answer


async def test_present_appeal_and_waive_buttons_in_the_channel(make_rig: RigFactory) -> None:
    rig = await policy_rig(make_rig, NoShowSettings(enabled=True))
    sid = await ended_with_absent(rig, ANA, BEN)
    ana, ben = member_id(ANA.user_id), member_id(BEN.user_id)

    summary = summary_of(rig)
    present = {b["custom_id"]: b for b in buttons_of(summary)}
    assert set(present) == {
        f"dojobot:/mark-present {sid} {ana}",
        f"dojobot:/mark-present {sid} {ben}",
    }
    ben_button = present[f"dojobot:/mark-present {sid} {ben}"]
    assert (ben_button["label"], ben_button["style"]) == ("Present: ben", 2)
    refused = await press(rig, ben_button, CAL, summary)
    assert "Only sensei" in text_of(refused), text_of(refused)
    marked = await press(rig, ben_button, SENSEI, summary)
    assert "marked present" in text_of(marked) and "(by you)" in text_of(marked)
    [mark] = [m for m in await rig.store.list_session_marks(sid) if m.kind is MarkKind.PRESENT]
    assert (mark.member_id, mark.marked_by) == (ben, member_id(SENSEI.user_id))
    again = await press(rig, ben_button, SENSEI, summary)
    assert "already marked present" in text_of(again), text_of(again)
    to_ben = [message_text(m) for m in rig.fake.dms_to(BEN.user_id)]
    assert len(to_ben) == 2 and "sensei marked you present in “Kata”" in to_ben[1], to_ben

    to_ana = appeal_dm(rig, ANA)
    [appeal] = buttons_of(to_ana)
    assert (appeal["custom_id"], appeal["label"]) == (f"dojobot:/appeal {sid}", "Appeal")
    refused = await press(rig, appeal, CAL, to_ana)  # not cal's mark
    assert "You have no no-show or late cancel" in text_of(refused), text_of(refused)
    appealed = await press(rig, appeal, ANA, to_ana)
    assert "appeal is recorded" in text_of(appealed), text_of(appealed)
    repeated = await press(rig, appeal, ANA, to_ana)
    assert "appealed already" in text_of(repeated), text_of(repeated)

    [to_admins] = [m for m in rig.fake.channel_messages(CHANNEL) if "appeal" in message_text(m)]
    [waive] = buttons_of(to_admins)
    assert (waive["custom_id"], waive["label"], waive["style"]) == (
        f"dojobot:/waive {sid} {ana}",
        "Waive",
        1,
    )
    denied = await press(rig, waive, SENSEI, to_admins)
    assert "Only admins can waive" in text_of(denied), text_of(denied)
    waived = await press(rig, waive, BOSS, to_admins)
    assert "Waived: ana's no-show" in text_of(waived), text_of(waived)
    assert [m for m in rig.fake.dms_to(ANA.user_id) if "waived your mark" in message_text(m)]
    assert not rig.fake.dms_to(BOSS.user_id)  # no admins configured: told in the channel


async def test_admins_named_in_the_settings_are_dmed_and_waive_by_slash_command(
    make_rig: RigFactory,
) -> None:
    settings = NoShowSettings(enabled=True, admins=(member_id(BOSS.user_id),))
    rig = await policy_rig(make_rig, settings)
    sid = await ended_with_absent(rig, BEN)
    ben = member_id(BEN.user_id)

    to_ben = appeal_dm(rig, BEN)
    await press(rig, buttons_of(to_ben)[0], BEN, to_ben)
    [to_boss] = rig.fake.dms_to(BOSS.user_id)
    assert "appeal" in message_text(to_boss), message_text(to_boss)
    [waive] = buttons_of(to_boss)
    assert waive["custom_id"] == f"dojobot:/waive {sid} {ben}"
    assert not [m for m in rig.fake.channel_messages(CHANNEL) if "appeal" in message_text(m)]

    waived = await rig.gateway.interact(
        slash_command("waive", BOSS, GUILD, CHANNEL, session=sid, member=BEN)
    )
    assert is_ephemeral(waived) and "Waived: ben's no-show" in text_of(waived), text_of(waived)
    again = await press(rig, waive, BOSS, to_boss)
    assert "Already waived" in text_of(again), text_of(again)

    record = await rig.gateway.interact(slash_command("my-record", BEN, GUILD, CHANNEL))
    assert is_ephemeral(record), text_of(record)
    assert "no-show" in text_of(record) and "waived" in text_of(record), text_of(record)
    about_ben = await rig.gateway.interact(
        slash_command("my-record", SENSEI, GUILD, CHANNEL, member=BEN)
    )
    assert is_ephemeral(about_ben) and "no-show" in text_of(about_ben), text_of(about_ben)
    not_yours = await rig.gateway.interact(
        slash_command("my-record", ANA, GUILD, CHANNEL, member=BEN)
    )
    assert "Only instructors and admins" in text_of(not_yours), text_of(not_yours)
