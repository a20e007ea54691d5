"""The personal calendar feed through Discord, on SQLite with the real discord.py client and
the fake Discord API: `/calendar-feed` is synced (localized), answers Ana alone (ephemeral)
with her secret URL and posts nothing in the channel; the URL serves her sessions; a new
`/calendar-feed` makes the old URL 404; `/calendar-feed revoke:True` makes it 404; the token
reaches no log line, neither dojobot's own records (caplog) nor what an operator's log holds
at DEBUG with every library (dojobot's handler)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.discord import DiscordFrontEnd
from bot.bootstrap import bootstrap
from bot.settings import Settings
from bot.wiring.discord import build_discord
from bot.wiring.web import build_web
from tests.adapters.discord.harness import CHANNEL, GUILD, Gateway, is_ephemeral, text_of
from tests.e2e.log_watch import LogWatch
from tests.e2e.test_discord_story import ANA, SENSEI, Story, session_id_in
from tests.fakes.discord_api import FakeDiscord

PUBLIC_URL = "https://dojo.example"
FEED = re.compile(re.escape(PUBLIC_URL) + r"(/calendar/feed/([A-Za-z0-9_-]+)\.ics)")
OURS = ("adapters", "core", "bot")


class FeedStory(Story):
    """The Discord story's app, with the web pages served by the same process."""

    async def boot(self) -> Gateway:
        self.app = await bootstrap(
            self.settings,
            write=lambda line: None,
            clock=self.clock,
            components=[build_discord, build_web],
        )
        await self.app.start()
        frontend = self.app.components[0]
        assert isinstance(frontend, DiscordFrontEnd)
        self.gateway = Gateway(self.fake, frontend)
        self.gateway.guild_available()
        for person in (SENSEI, ANA):
            self.fake.add_member(GUILD, person.user_id, person.role_ids)
        return self.gateway


@pytest.fixture
async def story(tmp_path: Path, fake: FakeDiscord) -> AsyncIterator[FeedStory]:
    tale = FeedStory(tmp_path, fake)
    await tale.boot()
    yield tale
    if tale.app is not None:
        await tale.app.close()


async def feed(story: FeedStory, **options: Any) -> str:
    answer = await story.slash("calendar-feed", ANA, **options)
    assert is_ephemeral(answer), answer
    return text_of(answer)


async def fetch(story: FeedStory, path: str) -> httpx.Response:
    assert story.app is not None and story.app.web is not None
    async with httpx.AsyncClient(base_url=story.app.web.base_url) as client:
        return await client.get(path)


async def test_discord_feed_is_private_serves_her_sessions_and_dies_when_replaced_or_revoked(
    story: FeedStory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    watch = LogWatch()
    watch.start(Settings(data_dir=tmp_path / "logs", _env_file=None))
    tokens: list[str] = []
    try:
        synced = {c["name"]: c for c in story.fake.commands[str(GUILD)]}
        [option] = synced["calendar-feed"]["options"]
        assert (option["name"], option["type"], option.get("required", False)) == (
            "revoke",
            5,
            False,
        )
        assert synced["calendar-feed"]["name_localizations"]["de"] == "kalender-feed"

        answer = await story.slash(
            "schedule-session", SENSEI, title="Kata", when="2026-12-03 18:00", capacity=5
        )
        kata = session_id_in(answer)
        await story.slash("rsvp", ANA, session=kata)
        posted_before = len(story.fake.channel_messages(CHANNEL))

        [(path, token)] = FEED.findall(await feed(story))
        tokens.append(token)
        response = await fetch(story, path)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "private, no-store"
        assert "SUMMARY:Kata" in response.text

        [(new_path, new_token)] = FEED.findall(await feed(story))  # the old URL stops working
        tokens.append(new_token)
        assert (await fetch(story, path)).status_code == 404
        assert (await fetch(story, new_path)).status_code == 200

        text = await feed(story, revoke=True)
        assert "revoked" in text and not FEED.findall(text)
        assert (await fetch(story, new_path)).status_code == 404

        # nothing new in the channel, and no message anywhere carries a token
        assert len(story.fake.channel_messages(CHANNEL)) == posted_before
        messages = json.dumps(story.fake.channel_messages(CHANNEL))
        assert not [t for t in tokens if t in messages]
        assert not [t for t in tokens if t in json.dumps(story.fake.dms_to(ANA.user_id))]
    finally:
        watch.stop()
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(OURS))
    assert ours and not [t for t in tokens if t in ours]
    assert watch.leaks(tokens) == []
