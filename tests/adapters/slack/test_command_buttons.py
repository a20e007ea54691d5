"""Command buttons on Slack (issue 16, docs/fair-seats.md "Buttons and commands"): a
notice's buttons reach a DM and a channel as Block Kit buttons the fake Web API accepts; a
click runs the button's command line as the member who clicked, with their own rights
(a member gets the normal refusal for an instructor's command), and the reply goes only to
them. A ReplyOutcome is shown in the reader's language with its buttons."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adapters.i18n import BabelLanguages
from adapters.slack.command_buttons import CommandTooLong, command_elements, is_command_action
from adapters.slack.commands import grammar_line
from adapters.slack.handlers import SlackHandlers
from adapters.slack.ids import member_id
from adapters.slack.limits import BUTTON_VALUE_MAX, block_problems
from adapters.slack.render_notice import notice_message
from adapters.slack.render_outcome import outcome_message
from adapters.slack.words import t as slack_t
from core.i18n import t
from core.model import RsvpStatus, SessionStatus, TrainingSession
from core.notices import ButtonStyle, Notice, NoticeButton, NoticeKind
from core.reply_outcome import ReplyOutcome
from tests.adapters.slack.world import (
    ADMIN,
    ANA,
    BEN,
    CHANNEL,
    SENSEI,
    SlackWorld,
    command_buttons,
    scheduled_id,
)
from tests.fakes.slack_api import TEAM

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


async def scheduled(world: SlackWorld) -> TrainingSession:
    reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00 60m cap 20', SENSEI)
    sid = scheduled_id(reply)
    return await world.app.service.get(sid)


def offer(session: TrainingSession, *buttons: NoticeButton) -> Notice:
    return Notice(
        kind=NoticeKind.SEAT_OFFERED,
        session=session,
        text=t("A seat is free."),
        buttons=buttons,
    )


async def rsvp_of(world: SlackWorld, session_id: str, user: str) -> RsvpStatus | None:
    for rsvp in await world.app.store.list_rsvps(session_id):
        if rsvp.member_id == member_id(TEAM, user):
            return rsvp.status
    return None


async def test_a_dm_button_runs_its_command_as_the_member_who_clicks(world: SlackWorld) -> None:
    session = await scheduled(world)
    notice = offer(
        session,
        NoticeButton(label=t("Claim"), command=f"/rsvp {session.id}", style=ButtonStyle.PRIMARY),
        NoticeButton(
            label=t("Cancel"),
            command=f"/cancel-session {session.id} nobody came",
            style=ButtonStyle.DANGER,
        ),
    )
    await world.slack.slack_chat.send_dm(member_id(TEAM, ANA), notice)
    [dm] = world.api.dms_to(ANA)
    claim, cancel = command_buttons(dm.args["blocks"])
    assert (claim["action_id"], claim["value"], claim["style"]) == (
        "dojo_cmd_0",
        f"/rsvp {session.id}",
        "primary",
    )
    assert (cancel["action_id"], cancel["style"]) == ("dojo_cmd_1", "danger")
    assert claim["text"]["text"] == "Claim"

    reply = await world.click(claim["action_id"], claim["value"], ANA, f"D{ANA}", dm.result["ts"])
    assert reply["response_type"] == "ephemeral" and "going" in reply["text"].lower()
    assert await rsvp_of(world, session.id, ANA) is RsvpStatus.GOING

    # a member clicking an instructor's command: the same refusal as typing it
    refused = await world.click(
        cancel["action_id"], cancel["value"], ANA, f"D{ANA}", dm.result["ts"]
    )
    assert refused["response_type"] == "ephemeral"
    assert "Only" in refused["text"] and ":warning:" in json.dumps(refused["blocks"])
    assert (await world.app.service.get(session.id)).status is SessionStatus.SCHEDULED


async def test_a_channel_button_runs_for_whoever_clicks_it(world: SlackWorld) -> None:
    session = await scheduled(world)
    assert session.origin is not None
    button = NoticeButton(label=t("Claim"), command=f"/rsvp {session.id}")
    await world.slack.slack_chat.post_to_channel(session.origin, offer(session, button))
    post = world.api.channel_posts(CHANNEL)[-1]
    [claim] = command_buttons(post.args["blocks"])
    assert "style" not in claim  # a plain button
    reply = await world.click(claim["action_id"], claim["value"], BEN, CHANNEL, post.result["ts"])
    assert reply["response_type"] == "ephemeral"
    assert await rsvp_of(world, session.id, BEN) is RsvpStatus.GOING
    assert await rsvp_of(world, session.id, ANA) is None


async def test_a_button_whose_line_does_not_parse_says_what_to_type(world: SlackWorld) -> None:
    session = await scheduled(world)
    await world.slack.slack_chat.send_dm(
        member_id(TEAM, ANA), offer(session, NoticeButton(label=t("Go"), command="/rsvp"))
    )
    [dm] = world.api.dms_to(ANA)
    [go] = command_buttons(dm.args["blocks"])
    reply = await world.click(go["action_id"], go["value"], ANA, f"D{ANA}", dm.result["ts"])
    assert "Usage: /rsvp" in json.dumps(reply)


def test_only_command_buttons_are_run_as_lines() -> None:
    assert is_command_action("dojo_cmd_0") and is_command_action("dojo_cmd_12")
    for other in ("dojo_join", "dojo_cmd_", "dojo_cmd_x", "dojo_cmd_1234", "xdojo_cmd_1"):
        assert not is_command_action(other)
    assert SlackHandlers.run_line.__doc__  # the click path documented


def test_a_command_longer_than_a_button_value_is_refused_not_cut() -> None:
    fits = NoticeButton(label=t("Go"), command="/rsvp " + "s" * (BUTTON_VALUE_MAX - 6))
    assert command_elements([fits])[0]["value"] == fits.command
    too_long = NoticeButton(label=t("Go"), command=fits.command + "s")
    with pytest.raises(CommandTooLong):
        command_elements([too_long])


def test_join_and_command_buttons_share_one_block_with_unique_ids() -> None:
    sample = TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="slack:T0DOJO:U1",
        instructor_name="Ada",
        start_time=NOW,
        duration_minutes=60,
        created_at=NOW,
        updated_at=NOW,
    )
    buttons = tuple(NoticeButton(label=t("Go"), command=f"/rsvp s{n}") for n in range(3))
    notice = offer(sample, *buttons).model_copy(update={"show_join": True})
    _, blocks = notice_message(notice)
    [actions] = [b for b in blocks if b["type"] == "actions"]
    ids = [e["action_id"] for e in actions["elements"]]
    assert ids == ["dojo_join", "dojo_cmd_0", "dojo_cmd_1", "dojo_cmd_2"]
    assert block_problems(blocks) == []


@pytest.mark.parametrize("locale", ["en", "ja", "de"])
def test_a_reply_outcome_is_shown_in_the_readers_language_with_its_buttons(locale: str) -> None:
    tr = BabelLanguages().translator(locale)
    outcome = ReplyOutcome(
        action="passed",
        lines=[t("Nothing to do: the command is empty."), "<!channel> & /join s1"],
        session_id="s1",
        buttons=[NoticeButton(label=slack_t("Join"), command="/rsvp s1", style=ButtonStyle.DANGER)],
    )
    text, blocks = outcome_message(outcome, "UTC", NOW, "https://d.example", tr)
    assert block_problems(blocks) == []
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "<!channel>" not in shown and "&lt;!channel&gt; &amp;" in shown  # never live
    assert "/join-session s1" in shown  # Slack's name of the grammar's /join
    [button] = command_buttons(blocks)
    assert button["value"] == "/rsvp s1" and button["style"] == "danger"
    label = button["text"]["text"]
    if locale == "en":
        assert text.startswith("Nothing to do") and label == "Join"
    else:  # the core's lines and the label in the reader's language
        assert "Nothing to do" not in text and label != "Join"


def test_a_mention_in_a_command_naming_a_member_becomes_their_id() -> None:
    assert (
        grammar_line("/waive", "s-42 <@U0BEN|ben>", TEAM)
        == f"/waive s-42 {member_id(TEAM, 'U0BEN')}"
    )
    assert grammar_line("/my-record", "<@U0BEN>", TEAM) == f"/my-record {member_id(TEAM, 'U0BEN')}"
    assert (
        grammar_line("/mark-present", "s-42 slack:T1:U2", TEAM) == "/mark-present s-42 slack:T1:U2"
    )
    # elsewhere a mention stays text (the grammar refuses or keeps it as typed)
    assert grammar_line("/cancel-session", "s-42 <@U0BEN|ben>", TEAM).endswith("<@U0BEN|ben>")


async def test_my_record_of_a_mentioned_member_runs_with_the_typers_rights(
    world: SlackWorld,
) -> None:
    own = await world.command("/my-record", "", ANA)
    assert member_id(TEAM, ANA) in own["text"]
    refused = await world.command("/my-record", f"<@{BEN}|ben>", ANA)
    assert "Only instructors and admins" in refused["text"]
    shown = await world.command("/my-record", f"<@{BEN}|ben>", ADMIN)
    assert member_id(TEAM, BEN) in shown["text"] and "Only" not in shown["text"]
