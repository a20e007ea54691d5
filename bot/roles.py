"""Process roles: `dojobot run` does everything; `web`, `discord` and `clock` split it up.

Every role can deliver to every configured platform (reminders go out from whichever process
runs the clock) and every role campaigns for the clock; what differs is what each one
*receives*: HTTP (Slack requests, webhooks, pages, API), the Discord gateway, or nothing.
"""

from __future__ import annotations

from typing import Literal

from bot.settings import Settings

ProcessRole = Literal["run", "web", "discord", "clock"]

SERVES_HTTP: dict[ProcessRole, bool] = {"run": True, "web": True, "discord": False, "clock": False}


def settings_for_role(settings: Settings, role: ProcessRole) -> Settings:
    """The settings as this role must apply them: only the `discord` role (or `run`) holds
    the Discord gateway, and only `web` (or `run`) holds Slack's Socket Mode connection."""
    updates: dict[str, object] = {}
    if settings.discord is not None and role not in ("run", "discord"):
        updates["discord"] = settings.discord.model_copy(update={"gateway": False})
    if settings.slack is not None and role not in ("run", "web"):
        updates["slack"] = settings.slack.model_copy(update={"app_token": None})
    return settings.model_copy(update=updates) if updates else settings
