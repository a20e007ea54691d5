"""Slack Socket Mode as Slack runs it: the app-level token, `hello`, acks within 3 s,
`disconnect` and reconnection, redelivered envelopes. slack_sdk's real client (through Bolt's
AsyncSocketModeHandler, as dojobot runs it) against the fake Web API and the fake Socket Mode
endpoint; the story itself runs on both transports in test_slack_story.py."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import ValidationError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import SlackSettings
from adapters.slack.socket_mode import SocketModeRefused
from adapters.web import WebSettings
from bot.bootstrap import bootstrap
from bot.settings import Settings
from bot.wiring.slack import build_slack
from core.testing.clock import FakeClock
from tests.adapters.slack.world import ANA, CHANNEL, SENSEI, START, SlackWorld
from tests.e2e.slack_transport import SocketModeSender, slack_world, socket_of
from tests.fakes.slack_api import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlackApi
from tests.fakes.slack_socket_mode import ACK_DEADLINE_SECONDS, APP_ID, FakeSocketMode

SCHEDULE = '"Kata basics" tomorrow 18:00 60m cap 20'


@pytest.fixture(autouse=True)
def _no_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[SlackWorld]:
    async with slack_world(tmp_path, "socket_mode") as built:
        yield built


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeSlackApi, FakeSocketMode, list[float]]]:
    """The two fakes alone; the Socket Mode one on a hand-moved clock (seconds)."""
    api = FakeSlackApi()
    await api.start()
    now = [100.0]
    socket = FakeSocketMode(api, now=lambda: now[0])
    await socket.start()
    yield api, socket, now
    await socket.close()
    await api.close()


def sender_of(world: SlackWorld) -> SocketModeSender:
    assert isinstance(world.sender, SocketModeSender)
    return world.sender


async def test_apps_connections_open_takes_only_the_app_level_token(
    fakes: tuple[FakeSlackApi, FakeSocketMode, list[float]],
) -> None:
    api, _, _ = fakes
    client = AsyncWebClient(base_url=api.base_url)
    with pytest.raises(SlackApiError) as refused:
        await client.apps_connections_open(app_token=BOT_TOKEN)
    assert refused.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as refused:
        await client.apps_connections_open(app_token="xapp-1-A0DOJO-1-revoked")
    assert refused.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as refused:  # and an app token posts nothing
        await client.chat_postMessage(token=APP_TOKEN, channel=CHANNEL, text="hi")
    assert refused.value.response["error"] == "not_allowed_token_type"
    opened = await client.apps_connections_open(app_token=APP_TOKEN)
    assert opened["ok"] is True and opened["url"].startswith("ws://127.0.0.1:")
    assert f"app_id={APP_ID}" in opened["url"]


async def test_the_fake_says_hello_and_refuses_what_slack_refuses(
    fakes: tuple[FakeSlackApi, FakeSocketMode, list[float]],
) -> None:
    """Single-use URLs, `hello`, and acks: unknown id, late, payload not accepted, twice."""
    _, socket, now = fakes
    url = socket.new_url()
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        hello = await ws.receive_json()
        assert hello["type"] == "hello" and hello["num_connections"] == 1
        assert hello["connection_info"] == {"app_id": APP_ID}
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(url)  # the ticket was used

        command = await socket.push("slash_commands", {"command": "/sessions", "text": ""})
        click = await socket.push("interactive", {"type": "block_actions", "actions": []})
        event = await socket.push("events_api", {"type": "event_callback", "event_id": "Ev1"})
        frames = [await ws.receive_json() for _ in range(3)]
        assert [f["envelope_id"] for f in frames] == [
            command.envelope_id,
            click.envelope_id,
            event.envelope_id,
        ]
        assert [f["accepts_response_payload"] for f in frames] == [True, False, False]
        assert (frames[2]["retry_attempt"], frames[2]["retry_reason"]) == (0, "")
        assert "retry_attempt" not in frames[0]

        await ws.send_json({"envelope_id": "no-such-envelope"})
        await ws.send_json({"envelope_id": click.envelope_id, "payload": {"text": "hi"}})
        await ws.send_json({"envelope_id": command.envelope_id, "payload": {"text": "ok"}})
        await ws.send_json({"envelope_id": command.envelope_id})
        await socket.wait_for(lambda: len(socket.violations) == 4)
        now[0] += ACK_DEADLINE_SECONDS + 0.1  # the event waited too long
        await ws.send_json({"envelope_id": event.envelope_id})
        await socket.wait_for(lambda: len(socket.violations) == 5)
    assert socket.violations == [
        "connected with an unknown or already used ticket",
        "ack for unknown envelope_id 'no-such-envelope'",
        f"ack for envelope {click.envelope_id}: a payload where accepts_response_payload is false",
        f"second ack for envelope {command.envelope_id}",
        f"late ack for envelope {event.envelope_id} (3.1 s > 3 s)",
    ]
    assert [(a.envelope_id, a.payload) for a in socket.acks] == [
        (command.envelope_id, {"text": "ok"})
    ]
    socket.violations.clear()


async def test_the_app_connects_through_the_configured_web_api_with_its_app_token(
    world: SlackWorld,
) -> None:
    socket = socket_of(world)
    [opened] = world.api.calls_of("apps.connections.open")
    assert opened.authorization == f"Bearer {APP_TOKEN}" and opened.result["url"]
    assert [c.closed for c in socket.connections] == [False]
    reply = await world.command("/schedule-session", SCHEDULE, SENSEI)
    assert "Kata basics" in reply["text"]
    [ack] = socket.acks
    assert ack.payload is None  # a slash command is acked empty; the reply is by response_url
    assert len(world.api.channel_posts(CHANNEL)) == 1


@pytest.mark.parametrize("reason", ["refresh_requested", "warning"])
async def test_a_disconnect_makes_the_client_reconnect_and_nothing_is_lost(
    world: SlackWorld, reason: str
) -> None:
    socket, sender = socket_of(world), sender_of(world)
    await world.command("/schedule-session", SCHEDULE, SENSEI)
    [card] = world.api.channel_posts(CHANNEL)
    ts = card.result["ts"]
    sid = world.api.message(CHANNEL, ts).blocks[2]["elements"][0]["text"].split("`")[1]

    await socket.disconnect(reason)
    # sent while the client is reconnecting: held for the new connection, not dropped
    reply = await world.click("dojo_rsvp_going", sid, ANA, CHANNEL, ts)
    assert "You're going" in reply["text"]
    await socket.wait_for(lambda: [c.closed for c in socket.connections] == [True, False])
    assert sender.sent[-1].connection == 2
    assert len(world.api.calls_of("apps.connections.open")) == 2  # a fresh URL for each

    reply = await world.command("/sessions", "", ANA)
    assert "Kata basics" in json.dumps(reply["blocks"])
    assert "1/20 going" in json.dumps(world.api.message(CHANNEL, ts).blocks)
    assert all(e.acked for e in socket.envelopes.values())
    assert socket.disconnects == [reason]


async def test_an_envelope_unacknowledged_when_its_connection_closed_is_retried_once(
    world: SlackWorld,
) -> None:
    """Slack redelivers what got no ack; the retry is dropped if the first one was handled."""
    socket = socket_of(world)
    socket.drop_next_ack()  # the app's ack will be lost on the way: Slack never sees it
    command = asyncio.create_task(world.command("/schedule-session", SCHEDULE, SENSEI))
    await socket.wait_for(lambda: len(socket.dropped) == 1)
    first = sender_of(world).sent[-1]
    assert json.loads(socket.dropped[0])["envelope_id"] == first.envelope_id
    assert socket.ack_of(first) is None and not first.acked
    await socket.connections[0].ws.close()  # then the connection dies
    reply = await command  # answered once, by the first delivery; the retry is acked
    assert "Kata basics" in reply["text"]
    assert first.retried_as is not None and socket.acks[-1].connection == 2
    retry = socket.envelopes[first.retried_as]
    assert socket.acks[-1].envelope_id == retry.envelope_id
    assert (retry.retry_attempt, retry.retry_reason, retry.payload) == (1, "timeout", first.payload)
    await world.settle()
    assert len(world.api.channel_posts(CHANNEL)) == 1


async def test_a_retried_envelope_creates_one_session(
    world: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack redelivers an envelope whose ack it did not get (same payload, retry_attempt
    set): the store's claim drops it, for commands, modal submissions and events alike."""
    sender = sender_of(world)
    caplog.set_level(logging.INFO, logger="adapters.slack.dedupe")

    await world.command("/schedule-session", SCHEDULE, SENSEI)
    assert await sender.redeliver(sender.sent[-1]) == (200, "")
    await world.settle()
    assert len(world.api.channel_posts(CHANNEL)) == 1
    assert len(world.api.responses) == 1  # one reply, to the first delivery

    assert await sender.command("/schedule-session", "", SENSEI) == (200, "")
    await world.settle()
    view = world.api.calls_of("views.open")[-1].args["view"]
    start = int(START.replace(day=3, hour=17).timestamp())
    values: dict[str, dict[str, Any]] = {
        "title": {"type": "plain_text_input", "value": "Randori"},
        "start_time": {"type": "datetimepicker", "selected_date_time": start},
        "duration_minutes": {"type": "number_input", "value": "60"},
        "visibility": {"type": "radio_buttons", "selected_option": {"value": "members_only"}},
    }
    assert await sender.submit(view, values, SENSEI) == (200, "")
    assert await sender.redeliver(sender.sent[-1], attempt=2) == (200, "")
    await world.settle()
    assert len(world.api.channel_posts(CHANNEL)) == 2

    event = {
        "type": "event_callback",
        "team_id": "T0DOJO",
        "api_app_id": APP_ID,
        "event_id": "Ev0CHANGE",
        "event_time": 1_700_000_000,
        "event": {"type": "user_change", "user": {"id": ANA, "tz": "Europe/Paris"}},
    }
    socket = socket_of(world)
    await socket.wait_acked(await socket.push("events_api", event))
    retry = await socket.push("events_api", event, retry_attempt=1, retry_reason="timeout")
    assert (await socket.wait_acked(retry)).payload is None
    dropped = [r for r in caplog.records if "dropped repeated Slack delivery" in r.message]
    assert len(dropped) == 3


async def test_a_refused_app_token_stops_the_start_with_what_to_fix(tmp_path: Path) -> None:
    """slack_sdk retries a refused token forever (dojobot never started, silently); now the
    start fails at once, naming the setting."""
    api = FakeSlackApi()
    await api.start()
    socket = FakeSocketMode(api)
    await socket.start()
    slack = SlackSettings(
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        api_base_url=api.base_url,
        app_token="xapp-1-A0DOJO-1-revoked",
    )
    settings = Settings(
        data_dir=tmp_path / "data", web=WebSettings(port=0), slack=slack, _env_file=None
    )
    app = await bootstrap(
        settings, write=lambda _: None, clock=FakeClock(START), components=[build_slack]
    )
    try:
        with pytest.raises(SocketModeRefused) as refused:
            async with asyncio.timeout(10):
                await app.start()
    finally:
        await app.close()
        await socket.close()
        await api.close()
    assert "invalid_auth" in str(refused.value)
    assert "DOJOBOT_SLACK__APP_TOKEN" in str(refused.value) and "xapp-1" not in str(refused.value)
    assert socket.connections == []


def test_a_bot_token_as_the_app_token_is_a_configuration_error() -> None:
    """Caught when the settings load (dojobot prints it and exits 2), token not echoed."""
    with pytest.raises(ValidationError) as refused:
        SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, app_token=BOT_TOKEN)
    assert "must be an app-level token starting with xapp-" in str(refused.value)
    assert BOT_TOKEN not in str(refused.value)
