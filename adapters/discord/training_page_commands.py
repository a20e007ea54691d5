"""Discord's training-page slash commands (docs/training-record.md): `/training-page`,
`/class-page` and `/overview`.

Each builds the shared-grammar line from its options and runs it as the member who typed
it (`InteractionActions.run_line`); the reply, only to them, carries a link-style button
to their personal page.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.fair_seats_commands import line_runner
from adapters.discord.handlers import InteractionActions
from adapters.discord.ids import member_id
from adapters.discord.series_commands import class_choices
from core.service import SessionService

Interaction = discord.Interaction[Any]
Choices = list[app_commands.Choice[str]]


def register_training_page_commands(
    tree: app_commands.CommandTree[Any], actions: InteractionActions, service: SessionService
) -> None:
    """Add the training-page commands to `tree`."""

    run = line_runner(actions)

    async def class_autocomplete(interaction: Interaction, current: str) -> Choices:
        return await class_choices(service, await actions.member_of(interaction), current)

    @tree.command(name="training-page", description="A personal link to your training page")
    @app_commands.describe(member="(instructors, admins) whose page; empty: yours")
    async def training_page(interaction: Interaction, member: discord.User | None = None) -> None:
        words = [] if member is None else [member_id(member.id)]
        await run(interaction, "training-page", *words)

    @tree.command(name="class-page", description="A personal link to a class's page (staff)")
    @app_commands.describe(klass="The weekly class")
    @app_commands.rename(klass="class")
    @app_commands.autocomplete(klass=class_autocomplete)
    async def class_page(interaction: Interaction, klass: str) -> None:
        await run(interaction, "class-page", klass)

    @tree.command(name="overview", description="A personal link to the association overview")
    async def overview(interaction: Interaction) -> None:
        await run(interaction, "overview")
