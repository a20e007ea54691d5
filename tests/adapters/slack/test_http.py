"""Inbound HTTP: Bolt's signature and replay checks on our route, and Slack's retries."""

from __future__ import annotations

import json
import time

from adapters.slack.dedupe import SeenDeliveries
from core.model import SessionFilter
from tests.adapters.slack.world import CHANNEL, SENSEI, SlackWorld

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


def test_seen_deliveries_forget_after_the_ttl_and_stay_bounded() -> None:
    now = [0.0]
    seen = SeenDeliveries(ttl=10, max_entries=100, monotonic=lambda: now[0])
    assert seen.first_time("a") and not seen.first_time("a")
    now[0] = 11
    assert seen.first_time("a")
    for i in range(500):
        seen.first_time(f"k{i}")
    assert len(seen._seen) <= 100
