"""Discord's rank slash commands (docs/training-record.md, "Rank progress"): `/progress`,
`/promote`, `/promotion-fix` and `/promotion-remove`.

Each builds the shared-grammar line from its options (`/promote discord:123 Orange
2026-03-31`) and runs it as the member who typed it (`InteractionActions.run_line`), with
their own rights. The rank option offers the ladder's ranks; a rank's name may have spaces
(each word is checked alone, so an option can never add a word that is not its own).
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.fair_seats_commands import line_runner
from adapters.discord.handlers import InteractionActions
from adapters.discord.ids import member_id
from core.service import SessionService

Interaction = discord.Interaction[Any]
Choices = list[app_commands.Choice[str]]
MAX_CHOICES = 25
"""Discord shows at most this many autocomplete choices."""


def rank_choices(service: SessionService, current: str) -> Choices:
    """The ladder's ranks whose name contains what was typed (any case)."""
    typed = current.strip().casefold()
    names = [s.name for s in service.rank_ladder().steps if typed in s.name.casefold()]
    return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names[:MAX_CHOICES]]


def register_rank_commands(
    tree: app_commands.CommandTree[Any], actions: InteractionActions, service: SessionService
) -> None:
    """Add the rank commands to `tree`."""

    run = line_runner(actions)

    async def rank_autocomplete(interaction: Interaction, current: str) -> Choices:
        return rank_choices(service, current)

    def rank_words(rank: str, day: str | None) -> list[str]:
        return [*rank.split(), *([] if day is None else [day.strip()])]

    @tree.command(name="progress", description="Your progress toward your next rank")
    @app_commands.describe(member="(instructors, admins) whose progress; empty: yours")
    async def progress(interaction: Interaction, member: discord.User | None = None) -> None:
        words = [] if member is None else [member_id(member.id)]
        await run(interaction, "progress", *words)

    @tree.command(name="promote", description="Record a member's promotion (instructors)")
    @app_commands.describe(
        member="The member promoted",
        rank="The rank they reached",
        date="The grading's date, YYYY-MM-DD (empty: today)",
    )
    @app_commands.autocomplete(rank=rank_autocomplete)
    async def promote_member(
        interaction: Interaction, member: discord.User, rank: str, date: str | None = None
    ) -> None:
        await run(interaction, "promote", member_id(member.id), *rank_words(rank, date))

    @tree.command(name="promotion-fix", description="Correct a member's latest promotion (admins)")
    @app_commands.describe(
        member="Whose latest promotion",
        rank="The rank it should be",
        date="The date it should have, YYYY-MM-DD (empty: unchanged)",
    )
    @app_commands.autocomplete(rank=rank_autocomplete)
    async def promotion_fix(
        interaction: Interaction, member: discord.User, rank: str, date: str | None = None
    ) -> None:
        await run(interaction, "promotion-fix", member_id(member.id), *rank_words(rank, date))

    @tree.command(
        name="promotion-remove", description="Remove a member's latest promotion (admins)"
    )
    @app_commands.describe(member="Whose latest promotion")
    async def promotion_remove(interaction: Interaction, member: discord.User) -> None:
        await run(interaction, "promotion-remove", member_id(member.id))
