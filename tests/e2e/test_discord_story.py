"""A session's whole life through the Discord front end: bootstrap on SQLite + Jitsi with the
real discord.py client talking to the fake Discord API, interactions fed as gateway payloads."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.discord import DiscordFrontEnd, DiscordSettings
from adapters.web import WebSettings
from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from bot.wiring.discord import build_discord
from core.testing.clock import FakeClock
from tests.adapters.discord.harness import (
    ADMIN_ROLE,
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    Gateway,
    button_ids,
    discord_settings_fields,
    is_ephemeral,
    text_of,
)
from tests.fakes.discord_api import (
    FakeDiscord,
    Person,
    button_press,
    scheduled_event_user_add,
    slash_command,
)

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
BOSS = Person(502, "boss", [ADMIN_ROLE])
ANA = Person(511, "ana", [MEMBER_ROLE])
BEN = Person(512, "ben", [MEMBER_ROLE])
CAL = Person(513, "cal", [MEMBER_ROLE])
DAN = Person(514, "dan", [MEMBER_ROLE])


class Story:
    """The app booted with the Discord component, and a gateway to talk to it."""

    def __init__(self, tmp_path: Path, fake: FakeDiscord) -> None:
        self.fake = fake
        self.clock = FakeClock(START)
        fake.wall_clock = self.clock.now  # Discord starts and ends external events by itself
        self.settings = Settings(
            data_dir=tmp_path / "data",
            web=WebSettings(port=0, public_url="https://dojo.example"),
            discord=DiscordSettings(**discord_settings_fields(fake)),
            _env_file=None,
        )
        self.app: App | None = None
        self.gateway: Gateway | None = None

    async def boot(self) -> Gateway:
        self.app = await bootstrap(
            self.settings, write=lambda line: None, clock=self.clock, components=[build_discord]
        )
        await self.app.start()
        frontend = self.app.components[0]
        assert isinstance(frontend, DiscordFrontEnd)
        self.gateway = Gateway(self.fake, frontend)
        self.gateway.guild_available()
        for person in (SENSEI, BOSS, ANA, BEN, CAL, DAN):
            self.fake.add_member(GUILD, person.user_id, person.role_ids)
        return self.gateway

    async def restart(self) -> Gateway:
        assert self.app is not None
        await self.app.close()
        return await self.boot()

    async def slash(self, name: str, person: Person, **options: Any) -> dict[str, Any]:
        assert self.gateway is not None
        return await self.gateway.interact(slash_command(name, person, GUILD, CHANNEL, **options))

    async def press(
        self, custom_id: str, person: Person, message: dict[str, Any], in_dm: bool = False
    ) -> dict[str, Any]:
        assert self.gateway is not None
        channel = int(message["channel_id"])
        payload = button_press(custom_id, person, None if in_dm else GUILD, channel, message)
        return await self.gateway.interact(payload)

    def announcement(self) -> dict[str, Any]:
        cards = [m for m in self.fake.channel_messages(CHANNEL) if m["embeds"] and m["components"]]
        assert len(cards) == 1, cards
        return cards[0]


@asynccontextmanager
async def started_story(tmp_path: Path, fake: FakeDiscord) -> AsyncIterator[Story]:
    """The app booted on `fake` (the e2e `fake` fixture), closed after."""
    tale = Story(tmp_path, fake)
    await tale.boot()
    yield tale
    if tale.app is not None:
        await tale.app.close()


@pytest.fixture
async def story(tmp_path: Path, fake: FakeDiscord) -> AsyncIterator[Story]:
    async with started_story(tmp_path, fake) as tale:
        yield tale


def session_id_in(answer: dict[str, Any]) -> str:
    found = re.search(r"id `([A-Za-z0-9_-]+)`", text_of(answer))
    assert found, answer
    return found.group(1)


def dm_count(fake: FakeDiscord, person: Person) -> int:
    return len(fake.dms_to(person.user_id))


async def test_slash_announcement_rsvps_waitlist_reminders_join_cancel(story: Story) -> None:
    fake = story.fake
    app = story.app
    assert app is not None
    assert len(fake.calls_to("PUT", rf"/applications/\d+/guilds/{GUILD}/commands")) == 1

    # `when` autocomplete previews the parsed time in the server's zone
    gateway = story.gateway
    assert gateway is not None
    preview = await gateway.interact(
        slash_command(
            "schedule-session",
            SENSEI,
            GUILD,
            CHANNEL,
            focused="when",
            title="Kata basics",
            when="2026-12-03 18:00",
        )
    )
    assert preview["type"] == 8, preview
    [choice] = preview["data"]["choices"]
    assert choice["name"] == "Thu 3 Dec 2026 18:00 CET (Europe/Berlin) — in 2 days", choice
    assert choice["value"] == "2026-12-03T17:00:00Z"

    # schedule with the picked value → ephemeral confirmation, announcement, scheduled event
    answer = await story.slash(
        "schedule-session",
        SENSEI,
        title="Kata basics",
        when=choice["value"],
        capacity=2,
        recording=True,
    )
    assert is_ephemeral(answer), answer
    sid = session_id_in(answer)
    start = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    stamp = int(start.timestamp())
    card = story.announcement()
    card_text = text_of(card)
    assert f"<t:{stamp}:F>" in card_text and f"<t:{stamp}:R>" in card_text, card_text
    assert "0/2 going" in card_text and "recorded" in card_text and "chat on" in card_text
    buttons = button_ids(card)
    assert f"dojobot:rsvp:{sid}" in buttons and f"dojobot:leave:{sid}" in buttons
    assert f"https://dojo.example/sessions/{sid}.ics" in buttons
    assert f"dojobot:join:{sid}" not in buttons  # the window is not open yet
    [event] = fake.events.values()
    assert event["entity_type"] == 3 and event["privacy_level"] == 2
    assert event["entity_metadata"]["location"] == f"https://dojo.example/sessions/{sid}"
    assert event["scheduled_start_time"].startswith("2026-12-03T17:00:00")
    assert event["scheduled_end_time"].startswith("2026-12-03T18:00:00")

    # RSVPs by button up to capacity, then the waitlist; the card is edited in place
    for person in (ANA, BEN):
        answer = await story.press(f"dojobot:rsvp:{sid}", person, card)
        assert "You're going" in text_of(answer) and is_ephemeral(answer)
    answer = await story.press(f"dojobot:rsvp:{sid}", CAL, card)
    assert "#1 on the waitlist" in text_of(answer), answer
    card = story.announcement()
    assert "2/2 going, 1 waitlisted" in text_of(card)
    assert card["edited_timestamp"] is not None
    events_patched = len(fake.calls_to("PATCH", r"/guilds/\d+/scheduled-events/\d+"))
    assert events_patched == 0  # RSVPs don't touch the unchanged event

    # "Interested" on the native event: offered the RSVP by DM, no seat taken
    event_id = int(event["id"])
    gateway.dispatch(
        "GUILD_SCHEDULED_EVENT_USER_ADD", scheduled_event_user_add(GUILD, event_id, DAN.user_id)
    )
    await fake.wait_for(lambda: dm_count(fake, DAN) == 1)
    [offer] = fake.dms_to(DAN.user_id)
    assert "Interested" in offer["content"] and f"dojobot:rsvp:{sid}" in button_ids(offer)
    assert "2/2 going, 1 waitlisted" in text_of(story.announcement())

    # 24 h reminder exactly on time; Ben's DMs are closed → one mention in the channel
    fake.closed_dms.add(BEN.user_id)
    await app.alarm.advance(timedelta(days=1, hours=7, minutes=50))
    assert dm_count(fake, ANA) == 0
    await app.alarm.advance(timedelta(minutes=10))
    assert story.clock.now() == start - timedelta(hours=24)
    [reminder] = fake.dms_to(ANA.user_id)
    assert "starts in 24 hours" in text_of(reminder) or "24" in text_of(reminder), reminder
    assert dm_count(fake, CAL) == 0  # waitlisted: no reminder
    mentions = [m for m in fake.channel_messages(CHANNEL) if f"<@{BEN.user_id}>" in m["content"]]
    assert len(mentions) == 1
    ben_channel = fake.dm_channels[BEN.user_id]
    ben_attempts = len(fake.calls_to("POST", rf"/channels/{ben_channel}/messages"))
    assert ben_attempts == 1

    # restart: buttons on old messages still work (in the channel and in a DM); no re-sync
    gateway = await story.restart()
    assert len(fake.calls_to("PUT", rf"/applications/\d+/guilds/{GUILD}/commands")) == 1
    answer = await story.press(f"dojobot:rsvp:{sid}", DAN, offer, in_dm=True)
    assert "#2 on the waitlist" in text_of(answer), answer
    answer = await story.press(f"dojobot:leave:{sid}", CAL, card)
    assert "You left" in text_of(answer)

    # 1 h reminder; a 429 with retry_after on Ana's DM is retried by discord.py, sent once
    ana_channel = fake.dm_channels[ANA.user_id]
    fake.inject_429("POST", rf"/channels/{ana_channel}/messages")
    await app_of(story).alarm.advance(timedelta(hours=23))
    assert dm_count(fake, ANA) == 2
    assert len(fake.calls_to("POST", rf"/channels/{ana_channel}/messages")) == 3  # 1 + 429 + retry
    assert len(fake.calls_to("POST", rf"/channels/{ben_channel}/messages")) == ben_attempts
    mentions = [m for m in fake.channel_messages(CHANNEL) if f"<@{BEN.user_id}>" in m["content"]]
    assert len(mentions) == 1  # no second mention for that session

    # 10 min reminder carries Join; the card shows Join once the window opens
    await app_of(story).alarm.advance(timedelta(minutes=50))
    last = fake.dms_to(ANA.user_id)[-1]
    assert f"dojobot:join:{sid}" in button_ids(last)
    assert f"dojobot:join:{sid}" in button_ids(story.announcement())

    # Join in the DM → Ana's own link, only to her
    answer = await story.press(f"dojobot:join:{sid}", ANA, last, in_dm=True)
    assert is_ephemeral(answer) and "https://meet.jit.si/" in text_of(answer), answer
    link = re.search(r"https://\S+", text_of(answer))
    assert link is not None
    assert all(link.group(0) not in text_of(m) for m in fake.channel_messages(CHANNEL))
    answer = await story.press(f"dojobot:join:{sid}", DAN, story.announcement())
    assert is_ephemeral(answer) and "https://" not in text_of(answer)  # not going: refused

    # cancel by an admin: card updated, event canceled, members DMed (Ben: no DM attempt)
    answer = await story.slash("cancel-session", BOSS, session=sid, reason="Sensei is ill")
    assert "Canceled" in text_of(answer) and is_ephemeral(answer)
    card = fake.messages[int(card["id"])]  # no buttons any more
    assert "Canceled" in text_of(card) and "Sensei is ill" in text_of(card)
    assert button_ids(card) == []
    assert fake.events[event_id]["status"] == 4
    assert "canceled" in text_of(fake.dms_to(ANA.user_id)[-1])
    assert "canceled" in text_of(fake.dms_to(DAN.user_id)[-1])
    assert len(fake.calls_to("POST", rf"/channels/{ben_channel}/messages")) == ben_attempts
    assert fake.refusals == []  # nothing sent exceeded a limit or broke an event's states


def app_of(story: Story) -> App:
    assert story.app is not None
    return story.app


async def test_errors_are_ephemeral_with_usage(story: Story) -> None:
    answer = await story.slash("schedule-session", ANA, title="Kata", when="tomorrow 18:00")
    assert is_ephemeral(answer)
    assert "instructor" in text_of(answer) and "/schedule-session title: when:" in text_of(answer)
    answer = await story.slash("schedule-session", SENSEI, title="Kata", when="whenever")
    assert "Could not understand" in text_of(answer) and "tomorrow 18:00" in text_of(answer)
    answer = await story.slash("sessions", ANA)
    assert "No sessions" in text_of(answer)
