"""Slash commands with inline text: same grammar as the terminal, replies only to the member."""

from __future__ import annotations

import json

from tests.adapters.slack.world import ADMIN, ANA, CHANNEL, GUEST, SENSEI, SlackWorld


async def schedule(world: SlackWorld, text: str = '"Kata basics" tomorrow 18:00 60m cap 20') -> str:
    reply = await world.command("/schedule-session", text, SENSEI)
    assert reply["text"].startswith("Scheduled"), reply
    return str(reply["text"]).split("(id ")[1].split(")")[0]


async def test_inline_schedule_echoes_the_time_read_in_the_members_zone(world: SlackWorld) -> None:
    reply = await world.command(
        "/schedule-session", '"Kata basics" tomorrow 18:00 60m cap 20', SENSEI
    )
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    # Sensei's Slack zone is Europe/Berlin: 18:00 there is 17:00 UTC
    assert "Wed 2 Dec 2026 18:00 CET (Europe/Berlin)" in reply["text"]
    assert "<!date^1796230800^{date_short_pretty} at {time}|" in json.dumps(reply["blocks"])
    [card] = world.api.channel_posts(CHANNEL)
    assert "0/20 going" in json.dumps(card.args["blocks"])
    assert [c.method for c in world.api.calls].count("users.info") == 1


async def test_errors_are_ephemeral_and_say_what_to_type(world: SlackWorld) -> None:
    reply = await world.command("/schedule-session", "Kata", SENSEI)
    assert reply["response_type"] == "ephemeral"
    assert "Missing the start time" in reply["text"]
    assert "Example: /schedule-session" in reply["text"]
    reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00', ANA)
    assert "Only admin or instructor members can schedule" in reply["text"]
    reply = await world.command("/session", "nope", ANA)
    assert "No session with id" in reply["text"] and "/sessions" in reply["text"]
    reply = await world.command("/rsvp", "", ANA)
    assert "Missing the session id" in reply["text"] and "Usage: /rsvp" in reply["text"]
    assert not world.api.calls_of("chat.postMessage")


async def test_grammar_hints_use_the_slack_command_names(world: SlackWorld) -> None:
    reply = await world.command("/dojo-help", "join", ANA)
    assert "/join-session s-42" in reply["text"] and "/join s-42" not in reply["text"]
    reply = await world.command("/dojo-help", "", ANA)
    assert "/dojo-help" in reply["text"]


async def test_list_show_rsvp_leave_update_start_end_attendance(world: SlackWorld) -> None:
    sid = await schedule(world, '"Kata basics" in 5 minutes 30m cap 1')
    reply = await world.command("/sessions", "", ANA)
    assert sid in json.dumps(reply["blocks"])
    reply = await world.command("/rsvp", sid, ANA)
    assert "You're going" in reply["text"]
    reply = await world.command("/rsvp", sid, GUEST)
    assert "members only" in reply["text"]
    reply = await world.command("/session", sid, ANA)
    assert "Going: Ana" in json.dumps(reply["blocks"])
    reply = await world.command("/update-session", f"{sid} cap 5", ANA)
    assert "Only admin or instructor" in reply["text"]
    reply = await world.command("/update-session", f"{sid} cap 5", ADMIN)
    assert reply["text"].startswith("Updated")
    reply = await world.command("/start-session", sid, ADMIN)
    assert "Only Sensei" in reply["text"]
    reply = await world.command("/start-session", sid, SENSEI)
    assert reply["text"].startswith("Started")
    reply = await world.command("/join-session", sid, ANA)
    assert "personal link" in reply["text"]
    reply = await world.command("/end-session", sid, SENSEI)
    assert reply["text"].startswith("Ended")
    reply = await world.command("/attendance", sid, SENSEI)
    assert "Attendance for" in reply["text"]
    reply = await world.command("/rsvp", f"{sid} leave", ANA)
    assert "You left" in reply["text"]
    card = world.api.message(CHANNEL, world.api.channel_posts(CHANNEL)[0].result["ts"])
    assert "Ended" in json.dumps(card.blocks)


async def test_cancel_by_command_with_reason(world: SlackWorld) -> None:
    sid = await schedule(world)
    await world.command("/rsvp", sid, ANA)
    reply = await world.command("/cancel-session", f"{sid} dojo flooded", ADMIN)
    assert reply["text"].startswith("Canceled")
    assert "dojo flooded" in world.api.dms_to(ANA)[-1].args["text"]
    card = world.api.message(CHANNEL, world.api.channel_posts(CHANNEL)[0].result["ts"])
    assert "dojo flooded" in json.dumps(card.blocks)


async def test_unreachable_channel_is_reported_to_the_instructor(world: SlackWorld) -> None:
    world.api.fail_next("chat.postMessage", "not_in_channel")
    reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00', SENSEI)
    assert reply["text"].startswith("Scheduled")
    assert "/invite @dojobot" in json.dumps(reply["blocks"])


async def test_expired_trigger_tells_how_to_schedule_inline(world: SlackWorld) -> None:
    world.api.fail_next("views.open", "expired_trigger_id")
    reply = await world.command("/schedule-session", "", SENSEI)
    assert "couldn't open in time" in reply["text"]
    assert "/schedule-session" in reply["text"]
