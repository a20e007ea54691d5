"""A member's story through Discord, on SQLite with the real discord.py client and the fake
Discord API: her Discord client's language fills her profile; a code from her Slack account,
entered with /link on Discord, makes her one member with one RSVP; dojobot restarts and her
/reminders menus save each choice to that one profile; /forget-me with Confirm deletes her on
both platforms, and her seat goes back. Two processes on PostgreSQL share the codes and the
menus."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from adapters.discord import DiscordSettings
from adapters.web import WebSettings
from bot.settings import Settings
from core.members import MemberProfile, PlatformFacts, QuietHours, ReminderRoute
from core.model import Member, ReminderKind, Role, RsvpStatus
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    MEMBER_ROLE,
    discord_settings_fields,
    is_ephemeral,
    text_of,
)
from tests.e2e.test_discord_story import SENSEI, Story, session_id_in, started_story
from tests.fakes.discord_api import FakeDiscord, Person, answer_message, select_choice
from tests.pg_server import fresh_database, require_server

ANA = Person(511, "ana", [MEMBER_ROLE], locale="fr")
SLACK_ANA = PlatformFacts(
    member_id="slack:T01:U0ANA", display_name="Ana", timezone="Asia/Tokyo", locale="ja"
)


@pytest.fixture
async def story(tmp_path: Path, fake: FakeDiscord) -> AsyncIterator[Story]:
    async with started_story(tmp_path, fake) as tale:
        yield tale


def service(story: Story) -> Any:
    assert story.app is not None
    return story.app.wiring.service


async def profile_of(story: Story, member_id: str) -> MemberProfile | None:
    assert story.app is not None
    return await story.app.wiring.store.get_profile(member_id)


def component(answer: dict[str, Any], prefix: str) -> str:
    data = answer.get("data", answer)
    [found] = [
        c["custom_id"]
        for row in data["components"]
        for c in row["components"]
        if c["custom_id"].startswith(prefix)
    ]
    return str(found)


async def choose(story: Story, answer: dict[str, Any], prefix: str, *values: str) -> Any:
    assert story.gateway is not None
    message = answer_message(answer, CHANNEL)
    payload = select_choice(component(answer, prefix), list(values), ANA, GUILD, CHANNEL, message)
    return await story.gateway.interact(payload)


async def test_link_from_slack_reminders_across_a_restart_and_forget_me(story: Story) -> None:
    answer = await story.slash(
        "schedule-session", SENSEI, title="Kata", when="2026-12-03 18:00", capacity=1
    )
    sid = session_id_in(answer)

    # on Slack: Ana takes the one seat and asks for a link code
    slack_ana: Member = await service(story).identify(SLACK_ANA, Role.MEMBER)
    await service(story).rsvp(slack_ana, sid)
    issued = await service(story).link_code(slack_ana)

    # on Discord: her client is in French; she enters the code (and reads French)
    answer = await story.slash("link", ANA, code=issued.code)
    assert is_ephemeral(answer) and "Liée" in text_of(answer), text_of(answer)
    profile = await profile_of(story, "discord:511")
    assert profile is not None and profile.id == SLACK_ANA.member_id
    assert set(profile.identities) == {SLACK_ANA.member_id, "discord:511"}

    # the Going button on Discord is the same member's RSVP: still one seat, no waitlist
    card = story.announcement()
    answer = await story.press(f"dojobot:rsvp:{sid}", ANA, card)
    assert "liste d’attente" not in text_of(answer), text_of(answer)
    assert story.app is not None
    rsvps = await story.app.wiring.store.list_rsvps(sid)
    assert [(r.member_id, r.status) for r in rsvps] == [(SLACK_ANA.member_id, RsvpStatus.GOING)]
    assert "1/1 going" in text_of(story.announcement())

    # after a restart, /reminders on Discord saves to the one profile
    await story.restart()
    menus = await story.slash("reminders", ANA)
    menus = await choose(story, menus, "dojobot:rem:kinds:", "1h", "30m")
    menus = await choose(story, menus, "dojobot:rem:route:", "dm")
    menus = await choose(story, menus, "dojobot:rem:qs:", "23")
    assert "Enregistré" in text_of(menus) and "Asia/Tokyo" in text_of(menus), text_of(menus)
    profile = await profile_of(story, SLACK_ANA.member_id)
    assert profile is not None
    chosen = profile.preferences
    assert chosen.kinds == [ReminderKind.BEFORE_1H, ReminderKind.BEFORE_30M]
    assert chosen.route is ReminderRoute.DM
    assert chosen.quiet_hours == QuietHours(start=time(23), end=time(7))
    assert profile.locale == "fr"  # her Discord client's language, the latest she used

    # /forget-me, Confirm: gone from both platforms, the seat is free again
    prompt = await story.slash("forget-me", ANA)
    assert "M’oublier" in text_of(prompt), text_of(prompt)
    done = await story.press(
        component(prompt, "dojobot:forget:"), ANA, answer_message(prompt, CHANNEL)
    )
    assert "oublié partout" in text_of(done), text_of(done)
    assert await profile_of(story, SLACK_ANA.member_id) is None
    assert await profile_of(story, "discord:511") is None
    rsvps = await story.app.wiring.store.list_rsvps(sid, RsvpStatus.GOING)
    assert rsvps == []
    assert "0/1 going" in text_of(story.announcement())


def on_postgres(tmp_path: Path, fake: FakeDiscord, name: str, url: str) -> Story:
    """A `dojobot discord` process of its own (own data dir) on the shared database."""
    process = Story(tmp_path / name, fake)
    process.settings = Settings(
        data_dir=tmp_path / name / "data",
        database_url=SecretStr(url),
        web=WebSettings(port=0, public_url="https://dojo.example"),
        discord=DiscordSettings(**discord_settings_fields(fake)),
        _env_file=None,
    )
    return process


async def test_two_processes_on_postgresql_share_codes_and_choices(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    """What one process gives (a link code, a forget confirmation, a menu) works once in the
    other: codes are kept by the store, components are read from their custom_id."""
    async with fresh_database(require_server()) as url:
        a = on_postgres(tmp_path, fake, "a", url)
        b = on_postgres(tmp_path, fake, "b", url)
        await a.boot()
        await b.boot()
        try:
            # A gives Ana her code; the Slack account enters it through B's service
            answer = await a.slash("link", ANA)
            code = text_of(answer).split("**")[1]
            slack_ana = await service(b).identify(SLACK_ANA, Role.MEMBER)
            linked = await service(b).link(slack_ana, code)
            assert set(linked.identities) == {"discord:511", SLACK_ANA.member_id}

            # A shows the menus, B saves the choice, A shows it
            menus = await a.slash("reminders", ANA)
            saved = await choose(b, menus, "dojobot:rem:route:", "none")
            assert "Enregistré" in text_of(saved) and "pas du tout" in text_of(saved)
            shown = await a.slash("reminders", ANA)
            assert "Où\u00a0: pas du tout" in text_of(shown), text_of(shown)

            # A asks, B confirms; the same Confirm on A finds the code used
            prompt = await a.slash("forget-me", ANA)
            confirm = component(prompt, "dojobot:forget:")
            done = await b.press(confirm, ANA, answer_message(prompt, CHANNEL))
            assert "oublié partout" in text_of(done), text_of(done)
            again = await a.press(confirm, ANA, answer_message(prompt, CHANNEL))
            assert "inconnu, déjà utilisé ou expiré" in text_of(again), text_of(again)
            assert await profile_of(a, SLACK_ANA.member_id) is None
        finally:
            for process in (a, b):
                if process.app is not None:
                    await process.app.close()
