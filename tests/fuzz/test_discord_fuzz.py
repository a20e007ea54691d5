"""The Discord front end, through the real discord.py client against the fake API: any
option value or form field gets a private answer, never an unexpected error; an unexpected
error gets a ref and a log line, and the bot keeps answering."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from adapters.discord import DiscordFrontEnd, DiscordSettings
from bot.chat_router import ChatRouter
from core.executor import CommandExecutor
from core.failures import FAILURE_PREFIX
from core.service import SessionService
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    Gateway,
    discord_settings_fields,
    text_of,
)
from tests.fakes.discord_api import (
    FakeDiscord,
    Person,
    button_press,
    modal_submit,
    slash_command,
)
from tests.fuzz.inputs import EXAMPLES, FUZZ, Failures, lines, times, tokens
from tests.fuzz.rigs import START, BreakableStore

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
BUTTON_ID = r"[A-Za-z0-9_-]{1,60}"
"""What a button's custom_id may carry as a session id (the buttons' own template)."""
ANA = Person(502, "ana", [])


@dataclass
class Bot:
    fake: FakeDiscord
    frontend: DiscordFrontEnd
    gateway: Gateway
    store: BreakableStore

    async def close(self) -> None:
        await self.frontend.stop()
        await self.fake.stop()


async def start_bot(tmp_path: Path) -> Bot:
    fake = FakeDiscord()
    await fake.start()
    store = BreakableStore()
    clock = FakeClock(START)
    fake.wall_clock = clock.now
    router = ChatRouter()
    service = SessionService(store, InMemoryVideoRooms(), router, clock)
    settings = DiscordSettings(**discord_settings_fields(fake))
    frontend = DiscordFrontEnd(
        settings, CommandExecutor(service), clock, "https://dojo.example", "UTC", tmp_path / "d"
    )
    router.connect("discord", frontend.discord_chat)
    await frontend.start()
    gateway = Gateway(fake, frontend)
    gateway.guild_available()
    return Bot(fake, frontend, gateway, store)


async def test_an_unexpected_error_answers_with_a_ref_and_the_bot_keeps_answering(
    tmp_path: Path,
) -> None:
    bot = await start_bot(tmp_path)
    try:
        bot.store.broken = True
        with Failures() as failures:
            answer = await bot.gateway.interact(slash_command("sessions", SENSEI, GUILD, CHANNEL))
        text = text_of(answer)
        assert f"{FAILURE_PREFIX} (ref " in text, text
        [record] = failures.records
        assert text.split("(ref ")[1][:6] in record.getMessage() and record.exc_info
        bot.store.broken = False
        answer = await bot.gateway.interact(slash_command("sessions", SENSEI, GUILD, CHANNEL))
        assert FAILURE_PREFIX not in text_of(answer)
    finally:
        await bot.close()


numbers = st.one_of(st.integers(), st.sampled_from([0, -1, 5, 60, 1440, 10**20]))
texts = st.one_of(lines, times, tokens)
commands = st.one_of(
    st.builds(
        lambda t, w, d, c: (
            "schedule-session",
            {"title": t, "when": w, "duration": d, "capacity": c},
        ),
        texts,
        times,
        numbers,
        numbers,
    ),
    st.builds(
        lambda s, w, d: ("update-session", {"session": s, "when": w, "duration": d}),
        texts,
        times,
        numbers,
    ),
    st.builds(
        lambda name, s: (name, {"session": s}),
        st.sampled_from(["session", "join", "rsvp", "start-session", "end-session", "attendance"]),
        texts,
    ),
    st.builds(lambda s, r: ("cancel-session", {"session": s, "reason": r}), texts, texts),
    st.builds(lambda e: ("event", {"event": e}), texts),
    st.builds(lambda t: ("create-event", {"title": t}), texts),
)


def test_fuzzed_options_and_forms_are_always_answered_without_failures(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    bot = loop.run_until_complete(start_bot(tmp_path))

    def ask(payload: dict[str, Any]) -> None:
        answer = loop.run_until_complete(bot.gateway.interact(payload))
        assert FAILURE_PREFIX not in text_of(answer), (payload, answer)

    tried: list[int] = []

    @FUZZ
    @given(command=commands, who=st.sampled_from([SENSEI, ANA]))
    def command_answered(command: tuple[str, dict[str, Any]], who: Person) -> None:
        tried.append(1)
        name, options = command
        ask(slash_command(name, who, GUILD, CHANNEL, **options))

    @FUZZ
    @given(values=st.tuples(texts, times, times, texts, texts))
    def form_answered(values: tuple[str, str, str, str, str]) -> None:
        tried.append(1)
        opened = loop.run_until_complete(  # a form answers one submit: open one each time
            bot.gateway.interact(slash_command("schedule-session-form", SENSEI, GUILD, CHANNEL))
        )
        form = opened["data"]
        inputs = [c["component"]["custom_id"] for c in form["components"]]
        typed = dict(zip(inputs, values, strict=True))
        ask(modal_submit(form["custom_id"], SENSEI, GUILD, CHANNEL, typed))

    ask(slash_command("schedule-session", SENSEI, GUILD, CHANNEL, title="K", when="fri 18:00"))
    [card] = [m for m in bot.fake.channel_messages(CHANNEL) if m["components"]]
    real_id = card["components"][0]["components"][0]["custom_id"].rsplit(":", 1)[1]

    @FUZZ
    @given(
        action=st.sampled_from(["rsvp", "leave", "join"]),
        session_id=st.one_of(st.just(real_id), st.from_regex(BUTTON_ID, fullmatch=True)),
        who=st.sampled_from([SENSEI, ANA]),
        in_dm=st.booleans(),
    )
    def button_answered(action: str, session_id: str, who: Person, in_dm: bool) -> None:
        tried.append(1)
        guild = None if in_dm else GUILD
        custom_id = f"dojobot:{action}:{session_id}"
        button = {"type": 2, "style": 1, "label": action, "custom_id": custom_id}
        message = card | {"components": [{"type": 1, "components": [button]}]}  # as shown
        ask(button_press(custom_id, who, guild, CHANNEL, message))

    try:
        with Failures() as failures:
            command_answered()
            form_answered()
            button_answered()
        assert len(tried) >= 3 * EXAMPLES  # every input was tried
        assert not failures.records, [r.getMessage() for r in failures.records[:3]]
    finally:
        loop.run_until_complete(bot.close())
        loop.close()
