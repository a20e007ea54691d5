"""Autocomplete: a preview of the parsed time, and pickers for sessions and events."""

from __future__ import annotations

from datetime import datetime

from discord import app_commands

from adapters.discord import limits
from adapters.discord.limits import fit
from core.errors import InvalidInput
from core.i18n import ENGLISH, Translator, localize
from core.model import Member
from core.service import SessionService
from core.timeparse import parse_when, valid_timezone

MAX_CHOICES = 25
EXAMPLES = ("tomorrow 18:00", "fri 7pm", "in 2 hours")


def _shown_zone(text: str, tz: str) -> str:
    """The zone to show a preview in: the one typed at the end, else the server's."""
    words = text.split()
    if words:
        try:
            return valid_timezone(words[-1])
        except InvalidInput:
            pass
    return tz


def choice(name: str, value: str) -> app_commands.Choice[str]:
    """A picker entry, its name and value cut to Discord's limits."""
    return app_commands.Choice(
        name=fit(name, limits.CHOICE_NAME), value=value[: limits.CHOICE_VALUE.max]
    )


def when_choices(
    current: str, now: datetime, tz: str, tr: Translator = ENGLISH
) -> list[app_commands.Choice[str]]:
    """`Tue 1 Dec 2026 18:00 CET (Europe/Berlin) — in 6 days` for what was typed, written by
    `tr` (the member's language).

    The choice's value is the exact instant (ISO, UTC), so what was previewed is what gets
    scheduled; typing on without picking re-reads the text on submit.
    """
    texts = [current] if current.strip() else list(EXAMPLES)
    choices = []
    for text in texts:
        try:
            instant = parse_when(text, now, tz)
        except InvalidInput as error:
            choices.append(choice(f"⚠ {localize(error.message, tr)}", text))
            continue
        preview = tr.when(instant, _shown_zone(text, tz), now)
        choices.append(choice(preview, instant.isoformat().replace("+00:00", "Z")))
    return choices


async def session_choices(
    service: SessionService,
    actor: Member,
    current: str,
    now: datetime,
    tr: Translator = ENGLISH,
) -> list[app_commands.Choice[str]]:
    """Open sessions the member may see whose title or id contains what was typed, soonest
    first, their times in the member's zone and language (`tr`)."""
    sessions = await service.find_sessions(actor, current, MAX_CHOICES)
    return [
        choice(f"{s.title} — {tr.when(s.start_time, actor.timezone, now)} ({s.id})", s.id)
        for s in sessions
    ]


async def event_choices(
    service: SessionService, actor: Member, current: str
) -> list[app_commands.Choice[str]]:
    """Events whose title or id contains what was typed, newest first."""
    needle = current.strip().lower()
    events = [
        e
        for e in reversed(await service.list_events(actor))
        if needle in e.title.lower() or needle in e.id.lower()
    ]
    return [choice(f"{e.title} ({e.id})", e.id) for e in events[:MAX_CHOICES]]
