"""The Discord front end: slash commands, persistent buttons, DMs and Scheduled Events.

Re-exports are imported on first use (PEP 562), so importing this package, or only its
settings, loads no SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from adapters.discord.front_end import DiscordFrontEnd
    from adapters.discord.settings import DiscordSettings

__all__ = ["DiscordFrontEnd", "DiscordSettings"]

__getattr__ = lazy_exports(
    __name__,
    {
        "DiscordFrontEnd": "adapters.discord.front_end",
        "DiscordSettings": "adapters.discord.settings",
    },
)
