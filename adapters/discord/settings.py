"""Configuration of the Discord front end."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr


class DiscordSettings(BaseModel):
    """A Discord bot's credentials; present → `dojobot run` starts the Discord front end."""

    model_config = ConfigDict(extra="forbid")

    token: SecretStr
    """The bot token."""
