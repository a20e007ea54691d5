"""Inbound HTTP: Bolt's signature and replay checks on our route, and Slack's retries."""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.slack.dedupe import delivery_key
from adapters.slack.redaction import redact
from adapters.web.refusals import RefusalLog
from bot.wiring.web import build_web
from core.model import SessionFilter
from tests.adapters.slack.world import CHANNEL, SENSEI, SlackWorld, make_world

SCHEDULE = '"Kata basics" tomorrow 18:00 60m cap 20'


async def sessions(world: SlackWorld) -> int:
    return await world.app.store.count_sessions(SessionFilter())


async def test_forged_signature_is_refused_and_nothing_runs(world: SlackWorld) -> None:
    body = world.sender.command_body("/schedule-session", SCHEDULE, SENSEI)
    headers = world.sender.signed(body)
    headers["x-slack-signature"] = "v0=" + "0" * 64
    status, text = await world.sender.post(body, headers)
    assert status == 401 and json.loads(text) == {"error": "invalid request"}
    await world.settle()
    assert await sessions(world) == 0 and not world.api.calls


async def test_stale_timestamp_is_refused_even_when_signed(world: SlackWorld) -> None:
    body = world.sender.command_body("/schedule-session", SCHEDULE, SENSEI)
    stale = world.sender.signed(body, timestamp=int(time.time()) - 6 * 60)
    assert (await world.sender.post(body, stale))[0] == 401
    fresh_enough = world.sender.signed(body, timestamp=int(time.time()) - 4 * 60)
    assert (await world.sender.post(body, fresh_enough))[0] == 200
    await world.settle()
    assert await sessions(world) == 1


async def test_a_retried_command_creates_one_session(world: SlackWorld) -> None:
    body = world.sender.command_body("/schedule-session", SCHEDULE, SENSEI)
    assert (await world.sender.post(body, world.sender.signed(body)))[0] == 200
    for retry in (1, 2):
        status, _ = await world.sender.post(body, world.sender.signed(body, retry=retry))
        assert status == 200
    await world.settle()
    assert await sessions(world) == 1
    assert len(world.api.responses) == 1
    assert len(world.api.channel_posts(CHANNEL)) == 1


async def test_a_retried_click_counts_once(world: SlackWorld) -> None:
    await world.command("/schedule-session", SCHEDULE, SENSEI)
    [post] = world.api.channel_posts(CHANNEL)
    sid = (await world.app.store.list_sessions(SessionFilter()))[0].id
    payload_body = None
    original = world.sender.post

    async def capture(body: str, headers: dict[str, str]) -> tuple[int, str]:
        nonlocal payload_body
        payload_body = body
        return await original(body, headers)

    world.sender.post = capture  # type: ignore[method-assign]
    await world.click("dojo_rsvp_going", sid, "U0ANA", CHANNEL, post.result["ts"])
    world.sender.post = original  # type: ignore[method-assign]
    assert payload_body is not None
    edits = world.api.message(CHANNEL, post.result["ts"]).edits
    status, _ = await world.sender.post(payload_body, world.sender.signed(payload_body, retry=1))
    await world.settle()
    assert status == 200 and len(world.api.responses) == 2  # schedule + one RSVP reply
    assert world.api.message(CHANNEL, post.result["ts"]).edits == edits


async def test_url_verification_and_user_change_event(world: SlackWorld) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    headers = world.sender.signed(body) | {"content-type": "application/json"}
    status, text = await world.sender.post(body, headers)
    assert status == 200 and "abc123" in text

    await world.command("/sessions", "", SENSEI)
    infos = len(world.api.calls_of("users.info"))
    event = {
        "type": "event_callback",
        "team_id": "T0DOJO",
        "api_app_id": "A0DOJO",
        "event_id": "Ev1",
        "event_time": int(time.time()),
        "event": {"type": "user_change", "user": {"id": SENSEI, "tz": "Asia/Tokyo"}},
    }
    body = json.dumps(event)
    headers = world.sender.signed(body) | {"content-type": "application/json"}
    assert (await world.sender.post(body, headers))[0] == 200
    await world.command("/sessions", "", SENSEI)
    assert len(world.api.calls_of("users.info")) == infos + 1  # cache dropped: re-read


def test_delivery_keys_are_what_slack_resends() -> None:
    command = {"command": "/schedule-session", "text": "x", "user_id": "U1", "trigger_id": "t1"}
    assert delivery_key(command) == delivery_key(dict(reversed(command.items())))
    assert delivery_key(command) != delivery_key(command | {"trigger_id": "t2"})
    assert delivery_key(command) != delivery_key(command | {"text": "y"})
    assert delivery_key({"event_id": "Ev1", "trigger_id": "t"}) == "slack:event:Ev1"
    assert delivery_key({"type": "block_actions", "trigger_id": "t9"}) == "slack:block_actions:t9"
    assert delivery_key({"type": "url_verification"}) is None


MALFORMED = [
    ("{not json", "application/json"),
    ("payload=[1,2]", "application/x-www-form-urlencoded"),
    ("payload=%7Bx", "application/x-www-form-urlencoded"),
    ("[" * 5000, "application/json"),
    ("\xff\xfe", "application/x-www-form-urlencoded"),
]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
async def test_unsigned_garbage_is_401_without_a_traceback(
    world: SlackWorld, caplog: pytest.LogCaptureFixture, body: str, content_type: str
) -> None:
    for timestamp in (str(int(time.time())), "not-a-number", "1e9"):
        headers = {
            "content-type": content_type,
            "x-slack-request-timestamp": timestamp,
            "x-slack-signature": "v0=" + "0" * 64,
        }
        status, text = await world.sender.post(body, headers)
        assert status in (400, 401) and json.loads(text) == {"error": "invalid request"}
    assert (await world.sender.post(body, {"content-type": content_type}))[0] == 401
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert await sessions(world) == 0 and not world.api.calls


@pytest.mark.parametrize(("body", "content_type"), MALFORMED[:4])
async def test_signed_garbage_is_400_without_a_traceback(
    world: SlackWorld, caplog: pytest.LogCaptureFixture, body: str, content_type: str
) -> None:
    headers = world.sender.signed(body) | {"content-type": content_type}
    status, _ = await world.sender.post(body, headers)
    assert status == 400
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_flood_of_forgeries_logs_one_line(
    world: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    for _ in range(50):
        headers = {"x-slack-request-timestamp": "x", "x-slack-signature": "v0=0"}
        assert (await world.sender.post("{not json", headers))[0] == 400
    assert len([r for r in caplog.records if "refused" in r.getMessage()]) == 1


def test_refusal_log_reports_what_it_held_back(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    refusals = RefusalLog(logging.getLogger("test.refusals"), 60, monotonic=lambda: now[0])
    caplog.set_level(logging.WARNING, "test.refusals")
    for _ in range(10):
        refusals.refused("bad signature", "from\n127.0.0.1")
    now[0] = 61
    refusals.refused("bad signature")
    assert [r.getMessage() for r in caplog.records] == [
        "refused: bad signature: from 127.0.0.1",
        "refused: bad signature (+9 more since the last report)",
    ]


async def test_join_links_stay_out_of_the_slack_libraries_debug_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    world = await make_world(tmp_path, also=[build_web])  # join links to our join page
    try:
        await join_at_debug(world, caplog)
    finally:
        await world.close()


async def join_at_debug(world: SlackWorld, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await world.command("/schedule-session", SCHEDULE, SENSEI)
    sid = (await world.app.store.list_sessions(SessionFilter()))[0].id
    await world.command("/rsvp", sid, "U0ANA")
    world.clock.advance(timedelta(days=1, hours=8, minutes=55))
    await world.command("/start-session", sid, SENSEI)
    reply = await world.command("/join-session", sid, "U0ANA")
    tokens = re.findall(r"/join/([A-Za-z0-9_.-]+)", json.dumps(reply))
    assert tokens, reply
    slack_records = [
        r
        for r in caplog.records
        if r.name.startswith(("slack_sdk", "slack_bolt", "adapters.slack"))
    ]
    assert any("/join/[redacted]" in r.getMessage() for r in slack_records)
    assert not [r for r in slack_records if any(t in r.getMessage() for t in tokens)]
    assert all(token not in caplog.text for token in tokens)


def test_redaction_covers_escaped_links_and_room_tokens() -> None:
    text = 'url "https:\\/\\/dojo.example\\/join\\/abc.DEF" and https://meet.jit.si/r#jwt=eyJ.x.y'
    assert redact(text) == (
        'url "https:\\/\\/dojo.example\\/join\\/[redacted]" and https://meet.jit.si/r#jwt=[redacted]'
    )
