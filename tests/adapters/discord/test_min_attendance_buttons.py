"""Minimum attendance on Discord, through the fake Discord API: `/schedule-session` with the
`min` option shows the minimum on the card; at the decision time the instructor's DM carries
Keep and Cancel as persistent buttons; a member pressing Keep is refused, the instructor's
press keeps the session (an ephemeral reply), and a second press says it was kept already."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from adapters.discord.ids import member_id
from core.min_attendance import MinState
from core.model import SessionFilter, SessionStatus
from tests.adapters.discord.conftest import Rig
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    buttons_of,
    is_ephemeral,
    text_of,
)
from tests.fakes.discord_api import Person, button_press, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
ANA = Person(602, "ana", [MEMBER_ROLE])


def embed_text(message: dict[str, Any]) -> str:
    parts = [str(message.get("content") or "")]
    for embed in message.get("embeds") or []:
        parts += [str(embed.get("description") or "")]
        parts += [f"{f.get('name')}: {f.get('value')}" for f in embed.get("fields") or []]
    return "\n".join(parts)


async def test_the_instructor_keeps_a_session_short_of_its_minimum(rig: Rig) -> None:
    answer = await rig.gateway.interact(
        slash_command(
            "schedule-session",
            SENSEI,
            GUILD,
            CHANNEL,
            title="Kata",
            when="2026-12-03 18:00",
            capacity=10,
            min=4,
        )
    )
    [session] = await rig.store.list_sessions(SessionFilter())
    assert session.min_going == 4, text_of(answer)
    card = rig.fake.channel_messages(CHANNEL)[-1]
    assert "0/10 going · min 4" in embed_text(card), embed_text(card)
    for person in (SENSEI, ANA):  # who the server says they are, for presses in DMs
        rig.fake.add_member(GUILD, person.user_id, person.role_ids)

    rig.clock.set(session.start_time - timedelta(hours=3))
    assert await rig.service.decide_min_attendance(rig.clock.now()) == 1
    [dm] = rig.fake.dms_to(SENSEI.user_id)
    assert "of the minimum 4 are going to “Kata”" in embed_text(dm), embed_text(dm)
    keep, cancel = buttons_of(dm)
    assert (keep["custom_id"], keep["style"]) == (f"dojobot:/keep-session {session.id}", 1)
    assert cancel["custom_id"] == f"dojobot:/cancel-session {session.id} Fewer than 4 going"
    assert cancel["style"] == 4  # danger
    channel = int(dm["channel_id"])

    refused = await rig.gateway.interact(button_press(keep["custom_id"], ANA, None, channel, dm))
    assert is_ephemeral(refused) and "Only sensei" in text_of(refused), text_of(refused)
    kept = await rig.gateway.interact(button_press(keep["custom_id"], SENSEI, None, channel, dm))
    assert is_ephemeral(kept) and "Kept: “Kata”" in text_of(kept), text_of(kept)
    decision = await rig.store.get_min_decision(session.id)
    assert decision is not None and decision.state is MinState.KEPT
    assert decision.decided_by == member_id(SENSEI.user_id)
    again = await rig.gateway.interact(button_press(keep["custom_id"], SENSEI, None, channel, dm))
    assert "was already kept" in text_of(again), text_of(again)
    rig.clock.set(session.start_time - timedelta(hours=2))
    await rig.service.decide_min_attendance(rig.clock.now())
    assert (await rig.service.get(session.id)).status is SessionStatus.SCHEDULED
