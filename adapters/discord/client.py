"""The discord.py client: intents, sharding, and the start-up hook."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from adapters.discord.settings import DiscordSettings

SetupHook = Callable[[discord.Client], Awaitable[None]]


def intents() -> discord.Intents:
    """Slash commands need no privileged intent; scheduled-event intents for "Interested"."""
    chosen = discord.Intents.default()
    chosen.guild_scheduled_events = True
    return chosen


class _RunsSetup(discord.Client):
    """Runs dojobot's set-up once logged in."""

    def __init__(self, on_setup: SetupHook, **options: Any) -> None:
        super().__init__(**options)
        self._on_setup = on_setup

    async def setup_hook(self) -> None:
        await self._on_setup(self)


class DojoClient(_RunsSetup):
    """One gateway connection."""


class ShardedDojoClient(_RunsSetup, discord.AutoShardedClient):
    """The same for large bots: several gateway shards in one process."""


def make_client(settings: DiscordSettings, on_setup: SetupHook) -> discord.Client:
    """A plain or auto-sharded client, as configured."""
    options: dict[str, Any] = {
        "intents": intents(),
        "allowed_mentions": discord.AllowedMentions.none(),  # every message's default
    }
    if settings.sharded:
        options["shard_count"] = settings.shard_count
        if settings.shard_ids is not None:
            options["shard_ids"] = settings.shard_ids
        return ShardedDojoClient(on_setup, **options)
    return DojoClient(on_setup, **options)
