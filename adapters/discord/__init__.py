"""The Discord front end: slash commands, persistent buttons, DMs and Scheduled Events."""

from adapters.discord.frontend import DiscordFrontEnd
from adapters.discord.settings import DiscordSettings

__all__ = ["DiscordFrontEnd", "DiscordSettings"]
