"""A session's life through Slack: modal → announcement → RSVPs → waitlist → DM reminders →
Join → per-member link → admin cancel; real server, fake Slack Web API. Every story runs on
both transports (tests/e2e/slack_transport.py): signed HTTP, and Socket Mode through
slack_sdk's client against the fake Socket Mode endpoint."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.slack.world import (
    ADMIN,
    ANA,
    BEN,
    CAL,
    CHANNEL,
    GUEST,
    PUBLIC_URL,
    SENSEI,
    START,
    SlackWorld,
)
from tests.e2e.slack_transport import TRANSPORTS, Transport, slack_world


@pytest.fixture(params=TRANSPORTS)
async def world(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[SlackWorld]:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    transport: Transport = request.param
    async with slack_world(tmp_path, transport) as built:
        yield built


def texts(blocks: list[dict[str, Any]]) -> str:
    """Every text in a message's blocks, joined (for assertions)."""
    return json.dumps(blocks, ensure_ascii=False)


def buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        element["action_id"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]


async def test_modal_rsvp_waitlist_reminders_join_cancel(world: SlackWorld) -> None:
    api = world.api
    start = START.replace(day=3, hour=17)  # Thu 3 Dec 2026 18:00 in Berlin

    # /schedule-session with no text: acked at once, then the modal opens with the trigger_id
    status, body = await world.sender.command("/schedule-session", "", SENSEI, CHANNEL)
    assert (status, body) == (200, "")
    await world.settle()
    [opened] = api.calls_of("views.open")
    view = opened.args["view"]
    assert opened.args["trigger_id"].startswith("1.")
    assert view["callback_id"] == "dojo_schedule"
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"]}
    assert kinds["start_time"] == "datetimepicker" and kinds["capacity"] == "number_input"

    # an invalid submission keeps the modal open with the error under the field
    values: dict[str, dict[str, Any]] = {
        "title": {"type": "plain_text_input", "value": "Kata basics"},
        "description": {"type": "plain_text_input", "value": "Bring a belt"},
        "start_time": {"type": "datetimepicker", "selected_date_time": int(START.timestamp())},
        "duration_minutes": {"type": "number_input", "value": "60"},
        "capacity": {"type": "number_input", "value": "2"},
        "options": {
            "type": "checkboxes",
            "selected_options": [{"value": "recording_enabled"}, {"value": "chat_enabled"}],
        },
        "visibility": {"type": "radio_buttons", "selected_option": {"value": "members_only"}},
    }
    status, body = await world.sender.submit(view, values, SENSEI)
    assert status == 200
    assert json.loads(body) == {
        "response_action": "errors",
        "errors": {"start_time": "The start time is in the past."},
    }

    values["start_time"]["selected_date_time"] = int(start.timestamp())
    status, body = await world.sender.submit(view, values, SENSEI)
    assert (status, body) == (200, "")
    await world.settle()
    [card_post] = api.channel_posts(CHANNEL)
    ts = card_post.result["ts"]
    card = api.message(CHANNEL, ts)
    assert "Kata basics" in card.text and "0/2 going" in texts(card.blocks)
    assert f"<!date^{int(start.timestamp())}^{{date_short_pretty}} at {{time}}|" in texts(
        card.blocks
    )
    assert buttons(card.blocks) == [
        "dojo_rsvp_going",
        "dojo_rsvp_leave",
        "dojo_calendar",
        "dojo_cancel",
    ]
    assert f"{PUBLIC_URL}/sessions/" in texts(card.blocks) and ".ics" in texts(card.blocks)
    [confirmation] = api.calls_of("chat.postEphemeral")
    assert confirmation.args["user"] == SENSEI and confirmation.args["channel"] == CHANNEL
    assert "Thu 3 Dec 2026 18:00 CET (Europe/Berlin)" in confirmation.args["text"]
    sid = card.blocks[2]["elements"][0]["text"].split("`")[1]
    session = await world.app.store.get_session(sid)
    assert session is not None and session.origin is not None
    assert session.origin.model_dump() == {
        "platform": "slack",
        "workspace_id": "T0DOJO",
        "channel_id": CHANNEL,
        "message_ref": ts,
    }
    # asked for recording, but dojobot can't record Jitsi rooms: none promised, reply says why
    assert not session.recording_enabled and session.capacity == 2
    assert "Recording needs RealtimeKit" in texts(confirmation.args["blocks"])
    assert "not recorded" in texts(card.blocks) and ":red_circle:" not in texts(card.blocks)

    # RSVPs up to capacity, then the waitlist; the card is edited in place each time
    reply = await world.click("dojo_rsvp_going", sid, ANA, CHANNEL, ts)
    assert "You're going" in reply["text"] and reply["response_type"] == "ephemeral"
    await world.click("dojo_rsvp_going", sid, BEN, CHANNEL, ts)
    reply = await world.click("dojo_rsvp_going", sid, CAL, CHANNEL, ts)
    assert "#1 on the waitlist" in reply["text"]
    reply = await world.click("dojo_rsvp_going", sid, GUEST, CHANNEL, ts)
    assert "members only" in reply["text"]
    assert "2/2 going, 1 waitlisted" in texts(api.message(CHANNEL, ts).blocks)
    assert len(api.channel_posts(CHANNEL)) == 1 and api.message(CHANNEL, ts).edits == 3

    # reminders as DMs to going members, exactly at 24 h, 1 h and 10 min before
    await world.app.alarm.advance(start - timedelta(hours=24, seconds=1) - world.clock.now())
    assert not api.dms_to(ANA)
    await world.app.alarm.advance(timedelta(seconds=1))
    assert [len(api.dms_to(u)) for u in (ANA, BEN, CAL)] == [1, 1, 0]
    assert "Reminder" in api.dms_to(ANA)[0].args["text"]
    await world.app.alarm.advance(start - timedelta(minutes=10) - world.clock.now())
    assert [len(api.dms_to(u)) for u in (ANA, BEN, CAL)] == [3, 3, 0]
    last = api.dms_to(ANA)[-1]
    assert "10 minutes" in last.args["text"] and buttons(last.args["blocks"]) == ["dojo_join"]
    assert "dojo_join" in buttons(api.message(CHANNEL, ts).blocks)  # window open: Join on card

    # Join from the DM: a personal link, privately; never posted in a channel
    reply = await world.click("dojo_join", sid, ANA, f"D{ANA}", last.result["ts"])
    assert reply["response_type"] == "ephemeral" and "personal link" in reply["text"]
    link = reply["blocks"][1]["elements"][0]["url"]
    assert link.startswith("https://")
    assert not [c for c in api.calls_of("chat.postMessage") if link in json.dumps(c.args)]
    reply = await world.click("dojo_join", sid, CAL, CHANNEL, ts)
    assert "is full" in reply["text"] and "/rsvp" in reply["text"]

    # the admin cancels from the card: card shows it, everyone who RSVP'd is DMed
    reply = await world.click("dojo_cancel", sid, ADMIN, CHANNEL, ts)
    assert "Canceled" in reply["text"]
    card = api.message(CHANNEL, ts)
    assert "Canceled" in texts(card.blocks) and buttons(card.blocks) == []
    for user in (ANA, BEN, CAL):
        assert "canceled by Admiral" in api.dms_to(user)[-1].args["text"]
    assert "canceled" in api.channel_posts(CHANNEL)[-1].args["text"]


async def test_long_ampersand_titles_and_long_lists_stay_within_slacks_limits(
    world: SlackWorld,
) -> None:
    """188-character titles full of `&` post, update and cancel; /sessions lists them;
    the fake Slack refused nothing (checked again when the world closes)."""
    api = world.api
    title = "Kata & R " * 20 + "&randori"
    await world.sender.command("/schedule-session", "", SENSEI, CHANNEL)
    await world.settle()
    [opened] = api.calls_of("views.open")
    start = int((START + timedelta(days=2)).timestamp())
    for n in range(3):
        values: dict[str, dict[str, Any]] = {
            "title": {"type": "plain_text_input", "value": f"{n:02d}{title}"[:188]},
            "start_time": {"type": "datetimepicker", "selected_date_time": start + 3600 * n},
            "duration_minutes": {"type": "number_input", "value": "60"},
            "visibility": {"type": "radio_buttons", "selected_option": {"value": "members_only"}},
        }
        status, body = await world.sender.submit(opened.args["view"], values, SENSEI)
        assert (status, body) == (200, "")
    await world.settle()
    posts = api.channel_posts(CHANNEL)
    assert len(posts) == 3 and api.refusals() == []
    ts = posts[0].result["ts"]
    sid = api.message(CHANNEL, ts).blocks[2]["elements"][0]["text"].split("`")[1]
    await world.click("dojo_rsvp_going", sid, ANA, CHANNEL, ts)
    reply = await world.click("dojo_cancel", sid, ADMIN, CHANNEL, ts)
    assert "Canceled" in reply["text"]
    card = api.message(CHANNEL, ts)
    assert card.edits == 2 and "Canceled" in texts(card.blocks)
    listing = await world.command("/sessions", "", ANA)
    assert "&amp;rando”" in texts(listing["blocks"]) and len(listing["blocks"]) <= 50
    assert api.refusals() == []
