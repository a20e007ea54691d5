"""The personal calendar feed through Slack, on both transports (signed HTTP and Socket
Mode), with the real server and slack_sdk against the fake Web API: `/calendar-feed`
answers Ana alone (ephemeral) with her secret URL, never in the channel; the URL serves her
sessions; a new `/calendar-feed` makes the old URL 404; `/calendar-feed revoke` makes it
404; the token reaches no log line, neither dojobot's own records (caplog) nor what an
operator's log holds at DEBUG with every library (dojobot's handler: slack_sdk logs each
reply's body at DEBUG, so the feed URL is redacted there like a join link)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import httpx
import pytest

from bot.settings import Settings
from bot.wiring.web import build_web
from tests.adapters.slack.world import ANA, PUBLIC_URL, SENSEI, SlackWorld, scheduled_id
from tests.e2e.log_watch import LogWatch
from tests.e2e.slack_transport import TRANSPORTS, Transport, slack_world

FEED = re.compile(re.escape(PUBLIC_URL) + r"(/calendar/feed/([A-Za-z0-9_-]+)\.ics)")
OURS = ("adapters", "core", "bot")
"""dojobot's own loggers."""


@pytest.fixture(autouse=True)
def _no_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


async def feed_command(world: SlackWorld, text: str = "") -> tuple[dict[str, object], str]:
    """Ana's `/calendar-feed` reply (ephemeral, checked) and its whole text."""
    reply = await world.command("/calendar-feed", text, ANA)
    assert reply.get("response_type") == "ephemeral", reply
    return reply, json.dumps(reply)


async def fetch(world: SlackWorld, path: str) -> httpx.Response:
    assert world.app.web is not None
    async with httpx.AsyncClient(base_url=world.app.web.base_url) as client:
        return await client.get(path)


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_slack_feed_is_private_serves_her_sessions_and_dies_when_replaced_or_revoked(
    tmp_path: Path, transport: Transport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    watch = LogWatch()
    watch.start(Settings(data_dir=tmp_path / "logs", _env_file=None))
    tokens: list[str] = []
    try:
        async with slack_world(tmp_path, transport, also=[build_web]) as world:
            reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00', SENSEI)
            kata = scheduled_id(reply)
            await world.command("/rsvp", kata, ANA)

            _, text = await feed_command(world)
            [(path, token)] = set(FEED.findall(text))  # in the text and its blocks
            tokens.append(token)
            assert "Keep it to yourself" in text
            response = await fetch(world, path)
            assert response.status_code == 200
            assert response.headers["cache-control"] == "private, no-store"
            assert "SUMMARY:Kata" in response.text

            _, text = await feed_command(world)  # a new one: the old URL stops working
            [(new_path, new_token)] = set(FEED.findall(text))
            tokens.append(new_token)
            assert (await fetch(world, path)).status_code == 404
            assert (await fetch(world, new_path)).status_code == 200

            _, text = await feed_command(world, "revoke")
            assert "revoked" in text and not FEED.findall(text)
            assert (await fetch(world, new_path)).status_code == 404

            # the URL went to Ana's ephemeral replies only: no Web API call (a post in the
            # channel, a DM) carries a token
            assert world.api.calls_of("chat.postMessage")  # the session's card was posted
            for call in world.api.calls:
                assert not [t for t in tokens if t in json.dumps(call.args)], call.method
    finally:
        watch.stop()
    assert len(tokens) == 2
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(OURS))
    assert ours  # dojobot's own loggers wrote during the story
    assert not [t for t in tokens if t in ours]
    assert watch.leaks(tokens) == []
