"""One session, announced on Slack and Discord (issue 15): the Slack and Discord front ends in
one process, the channels linked by `DOJOBOT_CHANNEL_MAP`, the real SDKs against the fake
Slack Web API and the fake Discord API; a restart in between (new process objects on the same
SQLite file) keeps editing the same two cards."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.discord import DiscordFrontEnd, DiscordSettings
from adapters.slack import SlackFrontEnd, SlackSettings
from adapters.web import WebSettings
from bot.bootstrap import App, bootstrap
from bot.roles import ProcessRole, settings_for_role
from bot.settings import Settings
from bot.wiring.discord import build_discord
from bot.wiring.slack import build_slack
from core.testing.clock import FakeClock
from tests.adapters.discord.harness import (
    ADMIN_ROLE,
    GUILD,
    MEMBER_ROLE,
    Gateway,
    button_ids,
    discord_settings_fields,
    text_of,
)
from tests.adapters.discord.harness import CHANNEL as DISCORD_CHANNEL
from tests.fakes.discord_api import FakeDiscord, Person, button_press, slash_command
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, TEAM, FakeSlackApi, SlackSender
from tests.pg_server import fresh_database, require_server

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SLACK_CHANNEL = "C0DOJO"
SENSEI, SLACK_ANA = "U0SENSEI", "U0ANA"
BOSS = Person(502, "boss", [ADMIN_ROLE])
ANA = Person(511, "ana", [MEMBER_ROLE])
BEN = Person(512, "ben", [MEMBER_ROLE])
LINK = f"slack:{TEAM}/{SLACK_CHANNEL}=discord:{GUILD}/{DISCORD_CHANNEL}"


class TwoPlatforms:
    """dojobot with Slack and Discord in one process, the channels linked."""

    def __init__(
        self,
        tmp_path: Path,
        slack: FakeSlackApi,
        discord: FakeDiscord,
        clock: FakeClock | None = None,
        role: ProcessRole = "run",
        database_url: str | None = None,
    ) -> None:
        self.slack_api, self.discord_api = slack, discord
        self.clock = clock or FakeClock(START)
        self.role = role
        discord.wall_clock = self.clock.now
        slack.add_user(SENSEI, "Sensei", "Europe/Berlin")
        slack.add_user(SLACK_ANA, "Ana S", "Asia/Tokyo")
        slack.usergroups["S0SENSEIS"] = ("senseis", [SENSEI])
        self.settings = Settings(
            data_dir=tmp_path / "data",
            web=WebSettings(port=0, public_url="https://dojo.example"),
            slack=SlackSettings(
                bot_token=BOT_TOKEN,
                signing_secret=SIGNING_SECRET,
                api_base_url=slack.base_url,
                instructors=["@senseis"],
                channel_post_interval_seconds=0,
            ),
            discord=DiscordSettings(**discord_settings_fields(discord)),
            channel_map=LINK,
            database_url=database_url,
            _env_file=None,
        )
        self.settings = settings_for_role(self.settings, role)
        self.app: App | None = None

    async def boot(self) -> None:
        self.app = await bootstrap(
            self.settings,
            role=self.role,
            write=lambda _: None,
            clock=self.clock,
            components=[build_slack, build_discord],
        )
        await self.app.start()
        web = self.app.web
        self.sender = SlackSender(f"{web.base_url if web else ''}/slack/events", self.slack_api)
        slack, discord = self.app.components
        assert isinstance(slack, SlackFrontEnd) and isinstance(discord, DiscordFrontEnd)
        # every process can post to both platforms (the run role also has the terminal)
        terminal = ["terminal"] if self.role == "run" else []
        assert self.app.wiring.chat.platforms == ["discord", "slack", *terminal]
        self.slack, self.discord = slack, discord
        self.gateway = Gateway(self.discord_api, discord)
        self.gateway.guild_available()
        for person in (BOSS, ANA, BEN):
            self.discord_api.add_member(GUILD, person.user_id, person.role_ids)

    async def close(self) -> None:
        if self.app is not None:
            await self.sender.close()
            await self.app.close()
            self.app = None

    async def restart(self) -> None:
        await self.close()
        await self.boot()

    async def slack_command(self, command: str, text: str, user: str) -> dict[str, Any]:
        mark = len(self.slack_api.responses)
        assert await self.sender.command(command, text, user, SLACK_CHANNEL) == (200, "")
        await self.slack.jobs.idle()
        assert len(self.slack_api.responses) == mark + 1
        return self.slack_api.responses[-1]

    async def slack_click(self, action: str, value: str, user: str, ts: str) -> dict[str, Any]:
        mark = len(self.slack_api.responses)
        status, _ = await self.sender.click(action, value, user, SLACK_CHANNEL, ts)
        assert status == 200
        await self.slack.jobs.idle()
        assert len(self.slack_api.responses) == mark + 1
        return self.slack_api.responses[-1]

    async def press(self, custom_id: str, person: Person, card: dict[str, Any]) -> str:
        payload = button_press(custom_id, person, GUILD, DISCORD_CHANNEL, card)
        return text_of(await self.gateway.interact(payload))

    def slack_card(self) -> tuple[str, str]:
        """The Slack card's ts and its text (exactly one card in the Slack channel)."""
        [post] = [p for p in self.slack_api.channel_posts(SLACK_CHANNEL) if "dojo_rsvp" in _j(p)]
        ts = str(post.result["ts"])
        message = self.slack_api.message(SLACK_CHANNEL, ts)
        return ts, message.text + _j(message.blocks)

    def discord_card(self) -> dict[str, Any]:
        """The Discord card (exactly one card in the Discord channel)."""
        messages = self.discord_api.channel_messages(DISCORD_CHANNEL)
        [card] = [m for m in messages if m["embeds"] and m["components"]]
        return card


def _j(value: Any) -> str:
    return json.dumps(value.args if hasattr(value, "args") else value, ensure_ascii=False)


@pytest.fixture
async def fakes(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[FakeSlackApi, FakeDiscord]]:
    """The fake Slack Web API and Discord API; checked at the end for anything refused."""
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    slack, discord = FakeSlackApi(), FakeDiscord()
    await slack.start()
    await discord.start()
    try:
        yield slack, discord
    finally:
        await discord.stop()
        await slack.close()
    assert slack.refusals() == [] and discord.refusals == []


@pytest.fixture
async def world(
    tmp_path: Path, fakes: tuple[FakeSlackApi, FakeDiscord]
) -> AsyncIterator[TwoPlatforms]:
    both = TwoPlatforms(tmp_path, *fakes)
    try:
        await both.boot()
        yield both
    finally:
        await both.close()


async def test_one_session_two_cards_one_capacity_one_waitlist_cancel_reaches_both(
    world: TwoPlatforms,
) -> None:
    slack, discord = world.slack_api, world.discord_api

    # scheduled on Slack, in the linked channel: a card on Slack and one on Discord
    reply = await world.slack_command(
        "/schedule-session", '"Kata basics" tomorrow 18:00 cap 2', SENSEI
    )
    assert "Kata basics" in reply["text"]
    ts, slack_text = world.slack_card()
    sid = slack.message(SLACK_CHANNEL, ts).blocks[2]["elements"][0]["text"].split("`")[1]
    card = world.discord_card()
    assert "Kata basics" in text_of(card) and "0/2 going" in text_of(card)
    assert f"dojobot:rsvp:{sid}" in button_ids(card)
    assert "0/2 going" in slack_text
    [event] = discord.events.values()  # the Discord card comes with its Scheduled Event

    # an RSVP from Discord and one from Slack: both cards show 2 going, edited in place
    assert "You're going" in await world.press(f"dojobot:rsvp:{sid}", ANA, card)
    await discord.wait_for(lambda: "1/2 going" in text_of(world.discord_card()))
    assert "1/2 going" in world.slack_card()[1]
    reply = await world.slack_click("dojo_rsvp_going", sid, SLACK_ANA, ts)
    assert "You're going" in reply["text"]
    await discord.wait_for(lambda: "2/2 going" in text_of(world.discord_card()))
    assert "2/2 going" in world.slack_card()[1]

    # a restart: new process objects on the same database keep editing the same two cards
    await world.restart()
    answer = await world.press(f"dojobot:rsvp:{sid}", BEN, world.discord_card())
    assert "#1 on the waitlist" in answer  # one capacity: the third goes to the one waitlist
    await discord.wait_for(lambda: "1 waitlisted" in text_of(world.discord_card()))
    assert "2/2 going, 1 waitlisted" in text_of(world.discord_card())
    assert world.slack_card()[0] == ts
    assert "2/2 going, 1 waitlisted" in world.slack_card()[1]
    assert slack.message(SLACK_CHANNEL, ts).edits == 3
    assert world.discord_card()["id"] == card["id"]

    # canceled on Discord: both cards say so, every member is told once on their platform
    answer = text_of(
        await world.gateway.interact(
            slash_command(
                "cancel-session", BOSS, GUILD, DISCORD_CHANNEL, session=sid, reason="snow"
            )
        )
    )
    assert "Canceled" in answer
    canceled = discord.messages[int(card["id"])]  # the same card, without its buttons now
    assert "Canceled" in text_of(canceled) and button_ids(canceled) == []
    assert "Canceled" in world.slack_card()[1]
    assert discord.events[int(event["id"])]["status"] == 4
    told = [d for d in slack.dms_to(SLACK_ANA) if "canceled" in d.args["text"]]
    assert len(told) == 1
    for person in (ANA, BEN):
        dms = discord.dms_to(person.user_id)
        assert len([m for m in dms if "canceled" in text_of(m)]) == 1, person
    posts = slack.channel_posts(SLACK_CHANNEL)
    slack_posts = [p for p in posts if "was canceled by boss" in p.args["text"]]
    discord_posts = [
        m
        for m in discord.channel_messages(DISCORD_CHANNEL)
        if m["id"] != card["id"] and "canceled" in text_of(m)
    ]
    assert len(slack_posts) == 1 and len(discord_posts) == 1  # each linked channel once
    assert world.app is not None
    copies = await world.app.store.list_announcement_copies(sid)
    assert [(c.platform, c.channel_id) for c in copies] == [("discord", str(DISCORD_CHANNEL))]


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_the_procfile_processes_each_reach_both_platforms(
    fakes: tuple[FakeSlackApi, FakeDiscord], tmp_path: Path, database: str
) -> None:
    """`web` (Slack over HTTP), `discord` (the gateway) and `clock` (reminders) on one SQLite
    file or one PostgreSQL database: whichever process publishes a card or a channel post
    reaches both platforms."""
    if database == "sqlite":
        await procfile_story(fakes, tmp_path, None)
        return
    async with fresh_database(require_server()) as url:
        await procfile_story(fakes, tmp_path, url)


async def procfile_story(
    fakes: tuple[FakeSlackApi, FakeDiscord], tmp_path: Path, database_url: str | None
) -> None:
    slack, discord = fakes
    clock = FakeClock(START)
    web, gateway, ticker = (
        TwoPlatforms(tmp_path, slack, discord, clock, role, database_url)
        for role in ("web", "discord", "clock")
    )
    try:
        for process in (web, gateway, ticker):
            await process.boot()
        assert ticker.app is not None and ticker.app.web is None  # the clock serves no HTTP

        # scheduled on Discord (the discord process): its card there, a copy on Slack
        answer = await gateway.gateway.interact(
            slash_command(
                "schedule-session",
                BOSS,
                GUILD,
                DISCORD_CHANNEL,
                title="Randori",
                when="2026-12-02T17:00:00Z",
                capacity=5,
            )
        )
        assert "Randori" in text_of(answer)
        card = gateway.discord_card()
        ts, slack_text = gateway.slack_card()
        assert "0/5 going" in text_of(card) and "0/5 going" in slack_text
        sid = next(b for b in button_ids(card) if b.startswith("dojobot:rsvp:")).split(":")[2]

        # an RSVP on Slack (the web process) edits the Discord card over REST too
        reply = await web.slack_click("dojo_rsvp_going", sid, SLACK_ANA, ts)
        assert "You're going" in reply["text"]
        assert "1/5 going" in text_of(discord.messages[int(card["id"])])
        assert "You're going" in await gateway.press(f"dojobot:rsvp:{sid}", ANA, card)
        assert "2/5 going" in web.slack_card()[1]

        # whichever process runs the clock (one on PostgreSQL: an advisory lock; each on
        # SQLite): each member reminded on their platform, the channel post in each linked
        # channel once
        leading = [p.app for p in (ticker, web, gateway) if p.app and p.app.clock.leading.is_set()]
        assert len(leading) == (3 if database_url is None else 1)
        await leading[0].alarm.advance(START.replace(day=2, hour=16, minute=50) - clock.now())
        soon = "Going members can join now"
        slack_posts = [p for p in slack.channel_posts(SLACK_CHANNEL) if soon in p.args["text"]]
        discord_posts = [m for m in discord.channel_messages(DISCORD_CHANNEL) if soon in text_of(m)]
        assert len(slack_posts) == 1 and len(discord_posts) == 1
        assert any("Reminder" in d.args["text"] for d in slack.dms_to(SLACK_ANA))
        assert any("Reminder" in text_of(m) for m in discord.dms_to(ANA.user_id))
        assert len(slack.channel_posts(SLACK_CHANNEL)) == 2  # the copy and the post, no more
    finally:
        for process in (web, gateway, ticker):
            await process.close()
