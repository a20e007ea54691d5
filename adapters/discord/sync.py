"""Registers the slash commands only when their definition changed (Discord allows 200
command creates per day per guild); the last synced fingerprint is kept in DiscordMemory."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from adapters.discord.memory import DiscordMemory
from adapters.discord.tree import commands_digest

log = logging.getLogger(__name__)


async def sync_if_changed(
    tree: app_commands.CommandTree[Any],
    memory: DiscordMemory,
    application_id: int,
    guild_ids: list[int],
) -> list[str]:
    """Bulk-overwrite the commands of each scope whose fingerprint changed; returns the
    scopes synced. Commands are copied to each listed guild (instant), else global."""
    synced = []
    scopes: list[discord.Object | None] = [discord.Object(g) for g in guild_ids] or [None]
    for guild in scopes:
        if guild is not None:
            tree.copy_global_to(guild=guild)
        scope = f"{application_id}:{guild.id if guild else 'global'}"
        digest = commands_digest(tree, guild)
        if memory.command_digests.get(scope) == digest:
            continue
        await tree.sync(guild=guild)
        memory.remember_commands(scope, digest)
        synced.append(scope)
        log.info("slash commands synced to %s", scope)
    return synced
