"""Substitute instructors on Discord, through the fake Discord API: `/need-sub` DMs an
instructor who taught recently an Accept button (persistent, `dojobot:/take-sub <id>`); a
member pressing it is refused, the instructor's press makes them the session's instructor
(the card is edited in place), and a second press is told who took it."""

from __future__ import annotations

from adapters.discord.ids import member_id
from core.model import SessionFilter
from tests.adapters.discord.conftest import Rig
from tests.adapters.discord.harness import (
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
KYO = Person(503, "kyo", [INSTRUCTOR_ROLE])
ANA = Person(602, "ana", [MEMBER_ROLE])


async def test_the_accept_button_makes_the_first_presser_the_instructor(rig: Rig) -> None:
    schedule = slash_command(
        "schedule-session", SENSEI, GUILD, CHANNEL, title="Kata", when="2026-12-03 18:00"
    )
    await rig.gateway.interact(schedule)
    judo = slash_command(
        "schedule-session", KYO, GUILD, CHANNEL, title="Judo", when="2026-12-05 10:00"
    )
    await rig.gateway.interact(judo)  # kyo teaches: dojobot knows them
    [kata] = [s for s in await rig.store.list_sessions(SessionFilter()) if s.title == "Kata"]
    for person in (SENSEI, KYO, ANA):  # who the server says they are, for presses in DMs
        rig.fake.add_member(GUILD, person.user_id, person.role_ids)

    asked = await rig.gateway.interact(
        slash_command("need-sub", SENSEI, GUILD, CHANNEL, session=kata.id)
    )
    assert "Substitute request sent to 1 instructor" in text_of(asked), text_of(asked)
    [dm] = rig.fake.dms_to(KYO.user_id)
    assert "needs a substitute" in message_text(dm), message_text(dm)
    [accept] = buttons_of(dm)
    assert (accept["custom_id"], accept["style"]) == (f"dojobot:/take-sub {kata.id}", 1)
    channel = int(dm["channel_id"])

    refused = await rig.gateway.interact(button_press(accept["custom_id"], ANA, None, channel, dm))
    assert is_ephemeral(refused) and "can't substitute" in text_of(refused), text_of(refused)
    won = await rig.gateway.interact(button_press(accept["custom_id"], KYO, None, channel, dm))
    assert is_ephemeral(won) and "You teach “Kata” now" in text_of(won), text_of(won)
    session = await rig.service.get(kata.id)
    assert session.instructor_id == member_id(KYO.user_id)
    [card] = [m for m in rig.fake.channel_messages(CHANNEL) if "Kata" in message_text(m)]
    assert "kyo" in message_text(card) and "sensei" not in message_text(card), message_text(card)
    again = await rig.gateway.interact(button_press(accept["custom_id"], KYO, None, channel, dm))
    assert "already taken by kyo" in text_of(again), text_of(again)
