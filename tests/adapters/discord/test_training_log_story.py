"""The training ledger on Discord, through the fake Discord API and the real discord.py
client (the no-show policy off): the ended summary carries Present for a going member who
never came; the `/mark-absent` and `/mark-present` slash commands set verdicts (only the
instructor's count); `/training-log` shows a member their record, refuses another's with
what to type, and shows the instructor anyone's. Every answer goes only to the asker."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.discord.ids import member_id
from tests.adapters.discord.conftest import Rig, RigFactory, known_members, quick_fake
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    buttons_of,
    is_ephemeral,
    message_text,
    text_of,
)
from tests.adapters.discord.test_no_show_story import (
    ANA,
    BEN,
    BOSS,
    CAL,
    SENSEI,
    ended_with_absent,
    press,
)
from tests.fakes.discord_api import slash_command

fake = pytest.fixture(quick_fake)


def summary_of(rig: Rig) -> dict[str, Any]:
    [summary] = [
        m for m in rig.fake.channel_messages(CHANNEL) if "RSVP'd but absent" in message_text(m)
    ]
    return summary


async def test_present_button_verdict_commands_and_training_log(make_rig: RigFactory) -> None:
    rig: Rig = await make_rig()
    known_members(rig, SENSEI, BOSS, ANA, BEN, CAL)
    sid = await ended_with_absent(rig, ANA, BEN)
    ana, ben = member_id(ANA.user_id), member_id(BEN.user_id)

    summary = summary_of(rig)
    present = {b["custom_id"]: b for b in buttons_of(summary)}
    assert set(present) == {
        f"dojobot:/mark-present {sid} {ana}",
        f"dojobot:/mark-present {sid} {ben}",
    }
    marked = await press(rig, present[f"dojobot:/mark-present {sid} {ana}"], SENSEI, summary)
    assert "marked present" in text_of(marked), text_of(marked)

    refused = await rig.gateway.interact(
        slash_command("mark-absent", CAL, GUILD, CHANNEL, session=sid, member=BEN)
    )
    assert is_ephemeral(refused) and "Only sensei" in text_of(refused), text_of(refused)
    absent = await rig.gateway.interact(
        slash_command("mark-absent", SENSEI, GUILD, CHANNEL, session=sid, member=BEN)
    )
    assert is_ephemeral(absent) and "marked absent" in text_of(absent), text_of(absent)

    log = await rig.gateway.interact(slash_command("training-log", ANA, GUILD, CHANNEL))
    assert is_ephemeral(log), text_of(log)
    assert "Training log of ana" in text_of(log), text_of(log)
    assert "✓ (marked present by sensei)" in text_of(log), text_of(log)
    not_yours = await rig.gateway.interact(
        slash_command("training-log", ANA, GUILD, CHANNEL, member=BEN)
    )
    assert "Only instructors and admins" in text_of(not_yours), text_of(not_yours)
    about_ben = await rig.gateway.interact(
        slash_command("training-log", SENSEI, GUILD, CHANNEL, member=BEN)
    )
    assert "Training log of ben" in text_of(about_ben), text_of(about_ben)
    assert "✗ (marked absent by sensei)" in text_of(about_ben), text_of(about_ben)
