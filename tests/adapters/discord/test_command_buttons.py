"""Command buttons on Discord (issue 16, docs/fair-seats.md "Buttons and commands"): a
notice's buttons reach a DM and a channel post as persistent buttons the fake accepts; a
press runs the button's command line as the member who pressed, with their own rights (in
a DM, their role in the session's server), and a member pressing an instructor's command
gets the normal refusal. A ReplyOutcome is shown in the reader's language with its
buttons; a line too long for a custom_id is refused when the button is built, never cut."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import discord
import pytest

from adapters.discord.command_buttons import (
    CommandTooLong,
    command_custom_id,
    persistent_command_button,
)
from adapters.discord.ids import member_id
from adapters.discord.render_common import Links
from adapters.discord.render_outcome import Reply, outcome_reply
from adapters.discord.words import t as discord_t
from adapters.i18n import BabelLanguages
from core.i18n import t
from core.model import RsvpStatus, SessionStatus, TrainingSession
from core.notices import ButtonStyle, Notice, NoticeButton, NoticeKind
from core.reply_outcome import ReplyOutcome
from tests.adapters.discord.conftest import START, Rig, known_members, schedule_kata
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    button_ids,
    buttons_of,
    is_ephemeral,
    text_of,
)
from tests.fakes.discord_api import Person, button_press
from tests.fakes.discord_rules import component_errors

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
ANA = Person(602, "ana", [MEMBER_ROLE])
BEN = Person(603, "ben", [MEMBER_ROLE])


async def scheduled(rig: Rig) -> TrainingSession:
    session = await schedule_kata(rig, SENSEI)
    known_members(rig, SENSEI, ANA, BEN)  # for presses in DMs
    return session


def offer(session: TrainingSession, *buttons: NoticeButton) -> Notice:
    return Notice(
        kind=NoticeKind.SEAT_OFFERED, session=session, text=t("A seat is free."), buttons=buttons
    )


async def status_of(rig: Rig, session_id: str, person: Person) -> RsvpStatus | None:
    for rsvp in await rig.store.list_rsvps(session_id):
        if rsvp.member_id == member_id(person.user_id):
            return rsvp.status
    return None


async def test_a_dm_button_runs_its_command_as_the_member_who_presses(rig: Rig) -> None:
    session = await scheduled(rig)
    notice = offer(
        session,
        NoticeButton(label=t("Claim"), command=f"/rsvp {session.id}", style=ButtonStyle.PRIMARY),
        NoticeButton(
            label=t("Cancel"),
            command=f"/cancel-session {session.id} nobody came",
            style=ButtonStyle.DANGER,
        ),
    )
    await rig.frontend.discord_chat.send_dm(member_id(ANA.user_id), notice)
    [dm] = rig.fake.dms_to(ANA.user_id)
    claim, cancel = buttons_of(dm)
    assert (claim["custom_id"], claim["label"], claim["style"]) == (
        f"dojobot:/rsvp {session.id}",
        "Claim",
        1,
    )
    assert (cancel["custom_id"], cancel["style"]) == (
        f"dojobot:/cancel-session {session.id} nobody came",
        4,
    )
    channel = int(dm["channel_id"])

    answer = await rig.gateway.interact(
        button_press(claim["custom_id"], ANA, None, channel, dm)  # in the DM: no guild
    )
    assert is_ephemeral(answer) and "going" in text_of(answer).lower()
    assert await status_of(rig, session.id, ANA) is RsvpStatus.GOING

    refused = await rig.gateway.interact(button_press(cancel["custom_id"], ANA, None, channel, dm))
    assert is_ephemeral(refused) and "Only" in text_of(refused)
    assert (await rig.service.get(session.id)).status is SessionStatus.SCHEDULED

    # the session's instructor pressing the same button may: their rights, not the notice's
    done = await rig.gateway.interact(button_press(cancel["custom_id"], SENSEI, None, channel, dm))
    assert "Canceled" in text_of(done)
    assert (await rig.service.get(session.id)).status is SessionStatus.CANCELED


async def test_a_channel_post_button_runs_for_whoever_presses_it(rig: Rig) -> None:
    session = await scheduled(rig)
    assert session.origin is not None
    notice = offer(session, NoticeButton(label=t("Claim"), command=f"/rsvp {session.id}"))
    await rig.frontend.discord_chat.post_to_channel(session.origin, notice)
    post = rig.fake.channel_messages(CHANNEL)[-1]
    assert button_ids(post) == [f"dojobot:/rsvp {session.id}"]
    assert buttons_of(post)[0]["style"] == 2  # plain: secondary
    answer = await rig.gateway.interact(
        button_press(f"dojobot:/rsvp {session.id}", BEN, GUILD, CHANNEL, post)
    )
    assert is_ephemeral(answer)
    assert await status_of(rig, session.id, BEN) is RsvpStatus.GOING
    assert await status_of(rig, session.id, ANA) is None


async def test_a_line_that_does_not_parse_is_answered_with_what_to_type(rig: Rig) -> None:
    session = await scheduled(rig)
    await rig.frontend.discord_chat.send_dm(
        member_id(ANA.user_id), offer(session, NoticeButton(label=t("Go"), command="/rsvp"))
    )
    [dm] = rig.fake.dms_to(ANA.user_id)
    [go] = buttons_of(dm)
    answer = await rig.gateway.interact(
        button_press(go["custom_id"], ANA, None, int(dm["channel_id"]), dm)
    )
    assert is_ephemeral(answer) and "Usage: /rsvp" in text_of(answer)


def test_a_command_longer_than_a_custom_id_is_refused_not_cut() -> None:
    fits = "/rsvp " + "s" * (100 - len("dojobot:/rsvp "))
    assert command_custom_id(fits) == f"dojobot:{fits}"
    assert command_custom_id("rsvp s1") == "dojobot:/rsvp s1"  # the grammar's `/` is optional
    for bad in (fits + "s", "/rsvp s1\n/cancel-session s1"):
        with pytest.raises(CommandTooLong):
            command_custom_id(bad)


class Recorder:
    def __init__(self) -> None:
        self.lines: list[str] = []

    async def run_line(
        self, interaction: discord.Interaction[Any], line: str, usage: str | None = None
    ) -> None:
        self.lines.append(line)


async def test_each_press_reaches_the_handler_the_item_was_built_with() -> None:
    recorder, other = Recorder(), Recorder()
    persistent_command_button(other)
    item_class = persistent_command_button(recorder)
    custom_id = command_custom_id("/claim s-42")
    match = item_class.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None
    interaction = cast(discord.Interaction[Any], object())
    item = await item_class.from_custom_id(interaction, discord.ui.Button(), match)
    await item.callback(interaction)
    assert (recorder.lines, other.lines) == (["/claim s-42"], [])
    for session_button_id in ("dojobot:rsvp:s1", "dojobot:join:s1", "dojobot:pg:x"):
        assert item_class.__discord_ui_compiled_template__.fullmatch(session_button_id) is None


def components_of(reply: Reply) -> list[dict[str, Any]]:
    assert reply.view is not None
    return reply.view.to_components()


@pytest.mark.parametrize("locale", ["en", "ja", "fr"])
def test_a_reply_outcome_is_shown_in_the_readers_language_with_its_buttons(locale: str) -> None:
    tr = BabelLanguages().translator(locale)
    outcome = ReplyOutcome(
        action="passed",
        lines=[t("Nothing to do: the command is empty."), "@everyone <@1>"],
        buttons=[NoticeButton(label=discord_t("Join"), command="/rsvp s1")],
    )
    reply = outcome_reply(outcome, START + timedelta(hours=1), Links("https://d.example"), tr=tr)
    content = reply.content or ""
    assert "@everyone" not in content and "<@1>" not in content  # inert: nothing pings
    rows = components_of(reply)
    assert component_errors(rows) == {}
    [button] = [c for row in rows for c in row["components"]]
    assert button["custom_id"] == "dojobot:/rsvp s1"
    if locale == "en":
        assert content.startswith("Nothing to do") and button["label"] == "Join"
    else:
        assert "Nothing to do" not in content and button["label"] != "Join"


async def test_a_dm_press_without_a_session_takes_the_role_in_the_only_server(rig: Rig) -> None:
    session = await scheduled(rig)
    line = f"/my-record {member_id(BEN.user_id)}"  # staff only: needs SENSEI's server role
    button = NoticeButton(label=t("Record"), command=line)
    await rig.frontend.discord_chat.send_dm(member_id(SENSEI.user_id), offer(session, button))
    [dm] = rig.fake.dms_to(SENSEI.user_id)
    [record] = buttons_of(dm)
    channel = int(dm["channel_id"])
    shown = await rig.gateway.interact(button_press(record["custom_id"], SENSEI, None, channel, dm))
    assert member_id(BEN.user_id) in text_of(shown) and "Only" not in text_of(shown)
    refused = await rig.gateway.interact(button_press(record["custom_id"], ANA, None, channel, dm))
    assert "Only instructors and admins" in text_of(refused)
