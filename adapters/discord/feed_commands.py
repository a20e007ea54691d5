"""Discord's personal calendar feed slash command (docs/training-record.md):
`/calendar-feed [revoke:]`.

It builds the shared-grammar line (`/calendar-feed` or `/calendar-feed revoke`) and runs it
as the member who typed it (`InteractionActions.run_line`); the reply, with the secret feed
URL, is ephemeral: only they see it.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.handlers import InteractionActions
from adapters.discord.usage import USAGE

Interaction = discord.Interaction[Any]


def calendar_feed_line(revoke: bool) -> str:
    """The grammar line of `/calendar-feed` with its `revoke` option."""
    return "/calendar-feed revoke" if revoke else "/calendar-feed"


def register_feed_commands(
    tree: app_commands.CommandTree[Any], actions: InteractionActions
) -> None:
    """Add `/calendar-feed` to `tree`."""

    @tree.command(name="calendar-feed", description="Your sessions as a private calendar feed link")
    @app_commands.describe(revoke="Stop your feed: its link no longer works")
    async def calendar_feed(interaction: Interaction, revoke: bool = False) -> None:
        await actions.run_line(interaction, calendar_feed_line(revoke), USAGE["calendar-feed"])
