"""Discord's training-ledger slash commands (docs/training-record.md): `/mark-absent` and
`/training-log` (`/mark-present` is with the fair-seats commands).

Each builds the shared-grammar line from its options and runs it as the member who typed
it (`InteractionActions.run_line`), with their own rights; a member option names the
member by their dojobot id (`discord:<user id>`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from adapters.discord.fair_seats_commands import line_runner
from adapters.discord.handlers import InteractionActions
from adapters.discord.ids import member_id
from adapters.discord.option_types import SESSION_HELP

Interaction = discord.Interaction[Any]
Choices = list[app_commands.Choice[str]]
Picker = Callable[[Interaction, str], Coroutine[Any, Any, Choices]]


def register_ledger_commands(
    tree: app_commands.CommandTree[Any], actions: InteractionActions, sessions: Picker
) -> None:
    """Add `/mark-absent` and `/training-log` to `tree` (`sessions`: the session
    autocomplete)."""

    run = line_runner(actions)

    @tree.command(
        name="mark-absent", description="Record a member absent (the session's instructor)"
    )
    @app_commands.describe(session=SESSION_HELP, member="The member to record as absent")
    @app_commands.autocomplete(session=sessions)
    async def mark_absent(interaction: Interaction, session: str, member: discord.User) -> None:
        await run(interaction, "mark-absent", session, member_id(member.id))

    @tree.command(name="training-log", description="Your training record: sessions, streaks")
    @app_commands.describe(member="(instructors, admins) whose record; empty: yours")
    async def training_log(interaction: Interaction, member: discord.User | None = None) -> None:
        words = [] if member is None else [member_id(member.id)]
        await run(interaction, "training-log", *words)
