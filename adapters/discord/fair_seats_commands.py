"""Discord's fair-seats slash commands (docs/fair-seats.md): `/claim`, `/pass`,
`/seat-notice`, `/keep-session`, `/my-record`, `/appeal`, `/waive`, `/mark-present`,
`/need-sub` and `/take-sub`.

Each builds the shared-grammar line from its options (`/waive s-42 discord:123`) and runs
it the way a command button runs its line (`InteractionActions.run_line`): as the member
who typed it, with their own rights. A member option names the member by their dojobot id
(`discord:<user id>`), as `/forget-me member:` does.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import discord
from discord import app_commands

from adapters.discord.handlers import InteractionActions
from adapters.discord.ids import member_id
from adapters.discord.option_types import SESSION_HELP
from adapters.discord.usage import USAGE
from adapters.discord.words import t
from core.errors import InvalidInput

Interaction = discord.Interaction[Any]
Choices = list[app_commands.Choice[str]]
Picker = Callable[[Interaction, str], Coroutine[Any, Any, Choices]]
"""The session autocomplete of `register_commands`."""
Notice = Literal["1h", "2h", "3h", "6h", "12h", "24h", "off"]
"""`/seat-notice` choices (the grammar also reads other durations, typed on Slack or the
terminal)."""

_UNSAFE = frozenset("\"'")


@dataclass(frozen=True)
class OneIdLine:
    """A slash command whose only option is the session: `/<name> <session id>`."""

    name: str
    description: str


ONE_ID_LINES: tuple[OneIdLine, ...] = (
    OneIdLine("claim", "Claim the seat offered to you"),
    OneIdLine("pass", "Give the seat offered to you to the next person on the waitlist"),
    OneIdLine("keep-session", "Hold a session although fewer than its minimum are going"),
    OneIdLine("appeal", "Appeal your no-show or late cancel in a session"),
    OneIdLine("need-sub", "Ask for a substitute instructor (the session's instructor)"),
    OneIdLine("take-sub", "Teach a session as its substitute (the first to accept does)"),
)


def grammar_line(name: str, *words: str) -> str:
    """`/<name> <word> …`; a word that would not stay one word of the line (spaces, quotes)
    is refused, so an option can never add words to the command."""
    for word in words:
        if not word or any(c.isspace() or c in _UNSAFE for c in word):
            raise InvalidInput(
                t("“{word}” is not an id.", word=word.strip()[:60]),
                t("Pick a session from the list, or paste its id (like s-42)."),
            )
    return " ".join([f"/{name}", *words])


class LineRunner(Protocol):
    """Runs `/<name> <words>` as the member who typed it (`line_runner`)."""

    async def __call__(self, interaction: Interaction, name: str, *words: str) -> None: ...


def line_runner(actions: InteractionActions) -> LineRunner:
    """`run(interaction, name, *words)`: the command's grammar line, run as the member who
    typed it; a word that is not safe in a line is refused with the command's usage."""

    async def run(interaction: Interaction, name: str, *words: str) -> None:
        try:
            line = grammar_line(name, *words)
        except InvalidInput as error:
            await actions.refuse(interaction, error, USAGE[name])
            return
        await actions.run_line(interaction, line, USAGE[name])

    return run


def register_fair_seats_commands(
    tree: app_commands.CommandTree[Any], actions: InteractionActions, sessions: Picker
) -> None:
    """Add the fair-seats commands to `tree`; session options search with `sessions`."""

    run = line_runner(actions)

    def one_id(spec: OneIdLine) -> None:
        @tree.command(name=spec.name, description=spec.description)
        @app_commands.describe(session=SESSION_HELP)
        @app_commands.autocomplete(session=sessions)
        async def command(interaction: Interaction, session: str) -> None:
            await run(interaction, spec.name, session)

    for spec in ONE_ID_LINES:
        one_id(spec)

    @tree.command(name="seat-notice", description="How much notice you need to be offered a seat")
    @app_commands.describe(notice="Don't offer me seats with less notice than this (off: any)")
    async def seat_notice(interaction: Interaction, notice: Notice) -> None:
        await run(interaction, "seat-notice", notice)

    @tree.command(name="my-record", description="Your no-shows, late cancels and any restriction")
    @app_commands.describe(member="(instructors, admins) whose record; empty: yours")
    async def my_record(interaction: Interaction, member: discord.User | None = None) -> None:
        words = [] if member is None else [member_id(member.id)]
        await run(interaction, "my-record", *words)

    @tree.command(name="waive", description="Waive a member's mark in a session (admins)")
    @app_commands.describe(session=SESSION_HELP, member="The member whose mark is waived")
    @app_commands.autocomplete(session=sessions)
    async def waive(interaction: Interaction, session: str, member: discord.User) -> None:
        await run(interaction, "waive", session, member_id(member.id))

    @tree.command(
        name="mark-present", description="Record a member present (the session's instructor)"
    )
    @app_commands.describe(session=SESSION_HELP, member="The member to record as present")
    @app_commands.autocomplete(session=sessions)
    async def mark_present(interaction: Interaction, session: str, member: discord.User) -> None:
        await run(interaction, "mark-present", session, member_id(member.id))
