"""The Discord front end: slash commands, persistent buttons, DMs and Scheduled Events.

Re-exports are imported on first use (PEP 562), so importing this package, or only its
settings, loads no SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.discord.front_end import DiscordFrontEnd
    from adapters.discord.settings import DiscordSettings

__all__ = ["DiscordFrontEnd", "DiscordSettings"]

_HOMES = {
    "DiscordFrontEnd": "adapters.discord.front_end",
    "DiscordSettings": "adapters.discord.settings",
}


def __getattr__(name: str) -> Any:
    """The re-exported `name`, imported from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
